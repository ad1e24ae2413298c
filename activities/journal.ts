/**
 * Records a batch of case events: the audit chain first, then, side by side, the projection they
 * lead to and its list entry (store/case-list.ts), the batch's notifications into the outbox, and
 * the read models kept as events are recorded: the statistics' case facts and the overdue stream.
 * Notifications whose receivers take them as log lines are delivered right here (one log line each,
 * kept as delivered); the rest wait for the webhooks' courier (`deliverNotifications`,
 * activities/notify.ts), which the workflow calls only then.
 */
import type { CaseEvent } from '../domain/case-event';
import { appendEvents, type AuditEventModel } from '../store/audit-events';
import { saveProjection, type CaseProjectionModel } from '../store/case-projections';
import { saveListEntry, type CaseListModels } from '../store/case-list';
import { proposeFrom, type ListProposalModel } from '../store/list-proposals';
import { batchDoc, enqueueBatch, type BatchDoc, type OutboxModel } from '../store/outbox';
import type { WhistleCase } from '../domain/case/shape';
import { departmentsInScope } from '../domain/access';
import { feedRows } from '../domain/overdue-feed';
import { recordFacts, type CaseFactsModel } from '../store/case-facts';
import { appendFeed, type OverdueFeedModel } from '../store/overdue-feed';

export interface RecordCaseEventsInput {
  events: CaseEvent[];
  /** the case state after the last event of the batch */
  projection: WhistleCase;
  /** hash of the event before this batch, as returned for the previous batch */
  prevHash?: string;
}
export interface RecordedBatch {
  /** the hash of the batch's last event, for the next batch to link on from */
  lastHash: string;
  /** some of the batch's notifications wait for a webhook delivery (the courier) */
  forCourier: boolean;
}
/**
 * What a recording answers. Cases recorded before notifications were delivered here got the hash
 * alone, and their histories keep that answer: the workflow reads both.
 */
export type RecordCaseEvents = (input: RecordCaseEventsInput) => Promise<RecordedBatch>;
/** Delivers a batch's log-channel entries in place; true if some entries still wait for a webhook. */
export type DeliverToLogs = (batch: BatchDoc) => Promise<boolean>;

export function journalActivities(models: {
  auditEvents: AuditEventModel;
  cases: CaseProjectionModel;
  caseList: CaseListModels;
  outbox: OutboxModel;
  listProposals: ListProposalModel;
  caseFacts: CaseFactsModel;
  overdueFeed: OverdueFeedModel;
  /** without it every notification waits for the courier */
  deliverToLogs?: DeliverToLogs;
}) {
  const recordCaseEvents: RecordCaseEvents = async ({ events, projection, prevHash }) => {
    const lastHash = await appendEvents(models.auditEvents, events, prevHash);
    const last = events[events.length - 1]!;
    // after the audit record, the rest side by side: none reads another's writes, and each is
    // idempotent on its own (by `lastSeq`, by event sequence, or one insert with duplicates ignored),
    // so a retried batch, wherever the first attempt stopped, finishes them all without a double
    const outbox = async () => {
      const batch = batchDoc(events, projection, new Date());
      if (!batch) return false;
      const forCourier = (await models.deliverToLogs?.(batch)) ?? true;
      await enqueueBatch(models.outbox, batch);
      return forCourier;
    };
    // all settled before a failure is thrown: a retry never runs beside this attempt's writes
    const [forCourier, ...rest] = await Promise.allSettled([
      outbox(),
      saveProjection(models.cases, projection, last.seq, last.at),
      saveListEntry(models.caseList, projection, last.seq, last.at),
      proposeFrom(models.listProposals, events),
      recordFacts(models.caseFacts, events, projection),
      appendFeed(models.overdueFeed, feedRows(events, projection, departmentsInScope(projection)), Date.now()),
    ]);
    const failed = [forCourier, ...rest].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { lastHash, forCourier: (forCourier as PromiseFulfilledResult<boolean>).value };
  };
  return { recordCaseEvents };
}
