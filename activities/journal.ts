/** Records a batch of case events: the audit chain first, then the projection they lead to. */
import type { CaseEvent } from '../domain/case-event';
import type { WhistleCase } from '../domain/whistle';
import { appendEvents, type AuditEventModel } from '../store/audit-events';
import { saveProjection, type CaseProjectionModel } from '../store/case-projections';

export interface RecordCaseEventsInput {
  events: CaseEvent[];
  /** the case state after the last event of the batch */
  projection: WhistleCase;
}
export type RecordCaseEvents = (input: RecordCaseEventsInput) => Promise<void>;

export function journalActivities(models: { auditEvents: AuditEventModel; cases: CaseProjectionModel }) {
  const recordCaseEvents: RecordCaseEvents = async ({ events, projection }) => {
    if (events.length === 0) return;
    await appendEvents(models.auditEvents, events);
    const last = events[events.length - 1]!;
    await saveProjection(models.cases, projection, last.seq, last.at);
  };
  return { recordCaseEvents };
}
