/**
 * Records a batch of case events: the audit chain first, then the projection they lead to, then
 * the batch's notifications into the outbox (delivered by `deliverNotifications`, activities/notify.ts).
 */
import type { CaseEvent } from '../domain/case-event';
import { appendEvents, type AuditEventModel } from '../store/audit-events';
import { saveProjection, type CaseProjectionModel } from '../store/case-projections';
import { proposeFrom, type ListProposalModel } from '../store/list-proposals';
import { enqueue, type OutboxModel } from '../store/outbox';
import type { WhistleCase } from '../domain/case/shape';

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
}) {
  const recordCaseEvents: RecordCaseEvents = async ({ events, projection, prevHash }) => {
    const lastHash = await appendEvents(models.auditEvents, events, prevHash);
    const last = events[events.length - 1]!;
    await saveProjection(models.cases, projection, last.seq, last.at);
    // after the audit record: one unordered insert, duplicates (a retried batch) ignored
    await enqueue(models.outbox, events, projection);
    await proposeFrom(models.listProposals, events);
    return lastHash;
  };
  return { recordCaseEvents };
}
