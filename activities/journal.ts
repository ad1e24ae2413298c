/**
 * Records a batch of case events: the audit chain first, then the projection they lead to, then
 * the batch's notifications into the outbox (delivered by `deliverNotifications`, activities/notify.ts),
 * then the read models kept as events are recorded: the statistics' case facts and the overdue stream.
 */
import type { CaseEvent } from '../domain/case-event';
import { appendEvents, type AuditEventModel } from '../store/audit-events';
import { saveProjection, type CaseProjectionModel } from '../store/case-projections';
import { proposeFrom, type ListProposalModel } from '../store/list-proposals';
import { enqueue, type OutboxModel } from '../store/outbox';
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
/** Returns the hash of the batch's last event, for the next batch to link on from. */
export type RecordCaseEvents = (input: RecordCaseEventsInput) => Promise<string>;

export function journalActivities(models: {
  auditEvents: AuditEventModel;
  cases: CaseProjectionModel;
  outbox: OutboxModel;
  listProposals: ListProposalModel;
  caseFacts: CaseFactsModel;
  overdueFeed: OverdueFeedModel;
}) {
  const recordCaseEvents: RecordCaseEvents = async ({ events, projection, prevHash }) => {
    const lastHash = await appendEvents(models.auditEvents, events, prevHash);
    const last = events[events.length - 1]!;
    await saveProjection(models.cases, projection, last.seq, last.at);
    // after the audit record: one unordered insert, duplicates (a retried batch) ignored
    await enqueue(models.outbox, events, projection);
    await proposeFrom(models.listProposals, events);
    // each keyed by case and event sequence: a retried batch counts and streams nothing twice
    await recordFacts(models.caseFacts, events, projection);
    await appendFeed(models.overdueFeed, feedRows(events, projection, departmentsInScope(projection)), Date.now());
    return lastHash;
  };
  return { recordCaseEvents };
}
