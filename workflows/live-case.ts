/**
 * The case as the workflow holds it: its state and its journal, shared by the action handlers, the
 * clock followers and the phases. Every change lands here with its audit event.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SYSTEM, type Move, type NewEvent } from '../domain/case-event';
import type { WhistleCase } from '../domain/case/shape';
import { openCase } from '../domain/whistle';
import { Journal } from './journal';
import type { WhistleCaseInput } from './input';

const { recordCaseEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // the audit trail must never lose an event: retry until the database is back
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export class LiveCase {
  state: WhistleCase;
  readonly journal: Journal;

  constructor(input: WhistleCaseInput) {
    const { caseId, raise, raisedBy, raisedAt, routing, caseNumber, carried } = input;
    // a reverse whistle asks `patched`: those raised before the township only assisted keep it as lead
    this.state = carried?.state ?? openCase(caseId, raise, raisedBy, new Date(raisedAt), routing, caseNumber, patched);
    this.journal = new Journal(caseId, () => this.state, recordCaseEvents, carried?.journal);
    if (!carried) {
      const data = { raise, routing: this.state.routing, duties: this.state.duties };
      this.journal.append('whistle.raised', raisedBy, data, new Date(this.state.raisedAt));
    }
  }

  /** A change the system makes by itself (a timer, a phase), recorded as the system's. */
  move({ next, event }: Move, at: Date): number {
    this.state = next;
    return this.record(event, at);
  }

  /** An event of the system's that changes nothing in the state (it tells what did). */
  record(event: NewEvent, at: Date): number {
    return this.journal.append(event.type, SYSTEM, event.data, at);
  }
}
