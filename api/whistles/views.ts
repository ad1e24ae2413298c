/**
 * Response shapes of the whistle endpoints, for the OpenAPI document and response checks: derived
 * from the case's declaration (domain/case/shape.ts), never written again here.
 */
import { z } from 'zod';
import { pick, s } from '../../domain/case/declare';
import { ClockReadingShape, SystemActorShape, WhistleCaseShape } from '../../domain/case/shape';
import { ActorShape } from '../../domain/identity';
import { AllowedActionShape } from '../../domain/allowed-actions';
import { toZod } from '../contract/from-declaration';
import { LateClockShape, QueueItemShape } from '../../domain/queues';

const Instant = toZod(s.instant());

export const CaseView = toZod(
  s.object({
    ...WhistleCaseShape.fields,
    /** computed at read time (GET …/:id only) */
    clocksNow: s.optional(s.array(ClockReadingShape)),
    /** what the reader may do now, from the same refusal rules the actions run (GET …/:id only) */
    allowedActions: s.optional(s.array(AllowedActionShape)),
  }),
).meta({ id: 'WhistleCase' });

export const AuditEventView = z
  .object({
    caseId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    at: Instant,
    actor: toZod(s.union(ActorShape, SystemActorShape)),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const HistoryView = z.object({ caseId: z.string(), events: z.array(AuditEventView) });
export const ChainCheckView = z
  .object({
    valid: z.boolean(),
    /** events stored for the case */
    events: z.number().int(),
    /** the first bad sequence number: missing, stored twice, never recorded, relinked, edited or rehashed */
    brokenAt: z.number().int().optional(),
    reason: z.string().optional(),
    /** how many events the case workflow says are stored (its own record, which the database cannot change) */
    recordedSeq: z.number().int().optional(),
    /** checked against the case workflow's record (false: the chain's own links only) */
    witnessed: z.boolean(),
  })
  .meta({ id: 'ChainCheck' });

/** A case in a list: what the projection keeps for lists, plus its scope and overdue flag. */
export const CaseSummaryView = toZod(
  s.object({
    ...pick(WhistleCaseShape.fields, [
      'caseId',
      'caseNumber',
      'title',
      'status',
      'urgency',
      'raisedAt',
      'raisedByModule',
      'gridReportId',
      'duties',
    ]),
    townshipId: s.string(),
    /** null while at the dispatch desk */
    matterCode: s.nullable(s.string()),
    departmentIds: s.array(s.string()),
    overdue: s.boolean(),
    updatedAt: s.instant(),
  }),
);
export const CaseListView = z.object({
  items: z.array(CaseSummaryView),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

/** A role's work queue (domain/queues.ts), soonest deadline first. */
export const QueueView = z.object({ items: z.array(toZod(QueueItemShape)) });

/** Every late clock in the caller's scope, the latest first. */
export const OverdueView = z.object({ items: z.array(toZod(LateClockShape)) });
