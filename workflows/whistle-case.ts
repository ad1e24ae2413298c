/**
 * One workflow per whistle case (workflow id = case id). It orchestrates only: rules come from
 * domain/, side effects go through activities. Each called department has its own acknowledge
 * clock; a missed limit is recorded as overdue for that department alone.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Actor } from '../domain/identity';
import type { Routing } from '../domain/routing';
import { SYSTEM } from '../domain/case-event';
import {
  acknowledge,
  allReported,
  findDuty,
  markOverdue,
  openCase,
  refuseAcknowledge,
  type RaiseWhistle,
  type WhistleCase,
} from '../domain/whistle';
import type { Activities } from '../activities';
import { acknowledgeUpdate, caseStateQuery } from './messages';
import { Journal } from './journal';
import { throwIfRefused } from './refusal';

export interface WhistleCaseInput {
  caseId: string;
  raise: RaiseWhistle;
  raisedBy: Actor;
  /** set by the API when it accepts the whistle, so its 201 answer and the case agree */
  raisedAt: string;
  /** resolved by the API from the list in force; the case keeps it for its whole life */
  routing: Routing;
}

const { recordCaseEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // the audit trail must never lose an event: retry until the database is back
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function whistleCase(input: WhistleCaseInput): Promise<WhistleCase> {
  let state = openCase(input.caseId, input.raise, input.raisedBy, new Date(input.raisedAt), input.routing);
  const journal = new Journal(input.caseId, () => state, recordCaseEvents);
  journal.append('whistle.raised', input.raisedBy, { raise: input.raise, routing: state.routing, duties: state.duties }, new Date(state.raisedAt));

  setHandler(caseStateQuery, () => state);
  setHandler(
    acknowledgeUpdate,
    async ({ actor }) => {
      const at = new Date();
      state = acknowledge(state, actor, at);
      await journal.recorded(journal.append('duty.acknowledged', actor, { departmentId: actor.orgUnitId }, at));
      return state;
    },
    { validator: ({ actor }) => throwIfRefused(refuseAcknowledge(state, actor)) },
  );

  const journalling = journal.run();

  /** The acknowledge clock of one department: overdue once, then keep waiting for it to report. */
  async function watchAcknowledgement(departmentId: string): Promise<void> {
    const reported = () => findDuty(state, departmentId)?.status === 'acknowledged';
    const deadline = Date.parse(findDuty(state, departmentId)!.acknowledgeBy);
    if (await condition(reported, Math.max(1, deadline - Date.now()))) return;
    const at = new Date();
    state = markOverdue(state, departmentId);
    const late = { departmentId, clock: 'acknowledge', deadline: new Date(deadline).toISOString(), lateByMs: at.getTime() - deadline };
    journal.append('duty.overdue', SYSTEM, late, at);
  }

  await Promise.all(state.duties.map((d) => watchAcknowledgement(d.departmentId)));
  await condition(() => allReported(state) && allHandlersFinished());
  journal.close();
  await journalling;
  return state;
}
