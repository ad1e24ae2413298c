/**
 * Response shapes of the whistle endpoints, for the OpenAPI document and response checks. The
 * compile-time check at the end keeps them in step with the domain's WhistleCase.
 */
import { z } from 'zod';
import { ROLES } from '../../domain/identity';
import { BilingualName } from '../../domain/names';
import { ESCALATION_LEVELS } from '../../domain/sla';
import type { WhistleCase } from '../../domain/case/shape';
import { CASE_STATUSES, DIRECTIONS, URGENCIES } from '../../domain/case/enums';

const Instant = z.string().meta({ format: 'date-time' });

export const ActorView = z.object({
  accountId: z.string(),
  role: z.enum([...ROLES, 'system']),
  orgUnitId: z.string().optional(),
});

export const EvidenceView = z.object({
  kind: z.enum(['photo', 'video', 'audio', 'document', 'signature']),
  uri: z.string(),
  sha256: z.string(),
  capturedAt: Instant.optional(),
});

export const ClockView = z.object({
  startedAt: Instant,
  deadline: Instant,
  metAt: Instant.optional(),
  overdueSince: Instant.optional(),
  warned: z.array(z.number()),
  escalation: z.enum(ESCALATION_LEVELS).optional(),
  pausedAt: Instant.optional(),
  pausedMs: z.number().optional(),
  countFrom: Instant.optional(),
});

const SuspensionView = z.object({
  reason: z.string(),
  requestedAt: Instant,
  requestedBy: z.string(),
  status: z.enum(['requested', 'approved', 'refused', 'ended']),
  decidedAt: Instant.optional(),
  decidedBy: z.string().optional(),
  note: z.string().optional(),
  resumedAt: Instant.optional(),
  resumedBy: z.string().optional(),
});

const RulingView = z.object({
  decision: z.enum(['uphold', 'reject']),
  at: Instant,
  by: z.string(),
  note: z.string(),
  reassignTo: z.string().optional(),
  listChange: z
    .object({
      matterCode: z.string(),
      leadDepartmentId: z.string().optional(),
      cooperatingDepartmentIds: z.array(z.string()).optional(),
      note: z.string(),
    })
    .optional(),
});

const DisputeView = z.object({
  departmentId: z.string(),
  reason: z.string(),
  suggestedDepartmentId: z.string().optional(),
  declinedAt: Instant,
  declinedBy: z.string(),
  clock: ClockView,
  ruling: RulingView.optional(),
});

export const DutyView = z.object({
  departmentId: z.string(),
  role: z.enum(['lead', 'cooperating']),
  status: z.enum(['called', 'acknowledged', 'on_site']),
  calledAt: Instant,
  acknowledgedAt: Instant.optional(),
  acknowledgedBy: z.string().optional(),
  arrivedAt: Instant.optional(),
  arrivedBy: z.string().optional(),
  module: z.string().optional(),
  clocks: z.object({ acknowledge: ClockView, onSite: ClockView, resolve: ClockView.optional() }),
  dispute: DisputeView.optional(),
  suspension: SuspensionView.optional(),
  suspensions: z.array(SuspensionView).optional(),
});

const StepView = z.object({
  key: z.string(),
  title: z.string(),
  kind: z.string(),
  assignee: z.union([
    z.object({ kind: z.literal('department'), departmentId: z.string() }),
    z.object({ kind: z.literal('township'), townshipId: z.string(), module: z.string() }),
  ]),
  limit: z.object({ amount: z.number(), unit: z.string() }),
  dependsOn: z.array(z.string()),
  status: z.enum(['waiting', 'open', 'done']),
  clock: ClockView.optional(),
  completedAt: Instant.optional(),
  completedBy: z.string().optional(),
  note: z.string().optional(),
  evidence: z.array(EvidenceView),
});

const ReinspectionView = z.object({
  dueAt: Instant,
  dueNotifiedAt: Instant.optional(),
  answerBy: Instant,
  answeredAt: Instant.optional(),
  answeredBy: z.string().optional(),
  recurred: z.boolean().optional(),
  note: z.string().optional(),
  silent: z.boolean().optional(),
});

/** Each clock at the moment of reading: time left, or how late, and time paused. */
export const ClockReadingView = z.object({
  clock: z.string(),
  deadline: Instant,
  state: z.enum(['running', 'paused', 'met', 'overdue']),
  remainingMs: z.number().optional(),
  lateByMs: z.number().optional(),
  pausedMs: z.number(),
});

export const RoutedMatterView = z.object({
  code: z.string(),
  version: z.number().int(),
  name: BilingualName,
  category: z.string(),
  leadDepartmentId: z.string(),
  cooperatingDepartmentIds: z.array(z.string()),
  reinspectionDays: z.number().int().optional(),
});

export const CaseView = z
  .object({
    caseId: z.string(),
    caseNumber: z.string().optional(),
    title: z.string(),
    description: z.string(),
    urgency: z.enum(URGENCIES),
    location: z.object({
      townshipId: z.string(),
      gridId: z.string().optional(),
      address: z.string(),
      coordinates: z.object({ lat: z.number(), lng: z.number() }).optional(),
    }),
    raisedBy: ActorView,
    raisedAt: Instant,
    status: z.enum(CASE_STATUSES),
    duties: z.array(DutyView),
    routing: z.object({
      listVersion: z.number().int(),
      calendarVersion: z.string(),
      slaProfile: z.string(),
      matter: RoutedMatterView.optional(),
      dispatchReason: z.string().optional(),
    }),
    progress: z
      .array(z.object({ at: Instant, by: ActorView, note: z.string(), evidence: z.array(EvidenceView) }))
      .optional(),
    resolution: z
      .object({
        resolvedAt: Instant,
        resolvedBy: ActorView,
        summary: z.string(),
        evidence: z.array(EvidenceView),
        verifyBy: Instant,
      })
      .optional(),
    dispatch: z.object({ clock: ClockView, classifiedBy: z.string().optional() }).optional(),
    evaluation: z
      .object({
        evaluateBy: Instant,
        byTownship: z
          .object({
            at: Instant,
            by: z.string(),
            ratings: z.array(
              z.object({
                departmentId: z.string(),
                speed: z.number(),
                attitude: z.number(),
                result: z.number(),
                comment: z.string().optional(),
              }),
            ),
          })
          .optional(),
        byDepartments: z.array(
          z.object({
            departmentId: z.string(),
            at: Instant,
            by: z.string(),
            cooperation: z.number(),
            comment: z.string().optional(),
          }),
        ),
        closedAt: Instant.optional(),
        closedBySilence: z.boolean().optional(),
      })
      .optional(),
    verifications: z
      .array(
        z.object({
          at: Instant,
          by: ActorView,
          accepted: z.boolean(),
          reason: z.string().optional(),
          silent: z.boolean(),
        }),
      )
      .optional(),
    direction: z.enum(DIRECTIONS).optional(),
    evidence: z.array(EvidenceView).optional(),
    plan: z
      .object({
        revision: z.number().int(),
        plannedAt: Instant,
        plannedBy: z.string(),
        reasons: z.array(z.object({ at: Instant, by: z.string(), reason: z.string() })),
        steps: z.array(StepView),
      })
      .optional(),
    releasedDuties: z.array(DutyView.extend({ releasedAt: Instant, excused: z.literal(true) })).optional(),
    disputes: z.array(DisputeView).optional(),
    withdrawal: z.object({ at: Instant, by: z.string(), reason: z.string() }).optional(),
    mergedInto: z.object({ caseId: z.string(), at: Instant, by: z.string() }).optional(),
    mergedFrom: z
      .array(z.object({ caseId: z.string(), at: Instant, raisedBy: ActorView, evidence: z.array(EvidenceView) }))
      .optional(),
    reinspection: ReinspectionView.optional(),
    previousRounds: z
      .array(
        z.object({
          resolution: z.unknown().optional(),
          evaluation: z.unknown().optional(),
          verifications: z.array(z.unknown()).optional(),
          reinspection: ReinspectionView.optional(),
        }),
      )
      .optional(),
    /** computed at read time (GET …/:id only) */
    clocksNow: z.array(ClockReadingView).optional(),
  })
  .meta({ id: 'WhistleCase' });

// a WhistleCase must always fit the documented view (fails to compile when they drift apart)
export const caseViewMatchesDomain = (c: WhistleCase): z.infer<typeof CaseView> => c;

export const AuditEventView = z
  .object({
    caseId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    at: Instant,
    actor: ActorView,
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const HistoryView = z.object({ caseId: z.string(), events: z.array(AuditEventView) });
export const ChainCheckView = z.object({
  valid: z.boolean(),
  events: z.number().int(),
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
});

export const CaseSummaryView = z.object({
  caseId: z.string(),
  caseNumber: z.string().optional(),
  title: z.string(),
  status: z.string(),
  urgency: z.enum(URGENCIES),
  townshipId: z.string(),
  matterCode: z.string().nullable(),
  departmentIds: z.array(z.string()),
  overdue: z.boolean(),
  raisedAt: Instant,
  updatedAt: Instant,
  duties: z.array(DutyView),
});
export const CaseListView = z.object({
  items: z.array(CaseSummaryView),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
