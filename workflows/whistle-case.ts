/**
 * One workflow per whistle case (workflow id = case id). It orchestrates only: rules come from
 * domain/, side effects go through activities. Each called department has its own clocks (report
 * for duty, be on site); each clock warns, breaches and escalates on its own, and falls silent the
 * moment the department acts.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { calendarByVersion } from '../domain/calendars';
import { SYSTEM, type CaseEventType } from '../domain/case-event';
import { CLOCKS, explainMilestone, limitOf, MILESTONE_EVENTS, milestones, type ClockName } from '../domain/duty-clock';
import type { Actor } from '../domain/identity';
import type { Routing } from '../domain/routing';
import {
  acknowledge,
  arrive,
  clockMet,
  findDuty,
  openCase,
  passMilestone,
  profileOf,
  refuseAcknowledge,
  refuseArrival,
  type RaiseWhistle,
  type Refusal,
  type WhistleCase,
} from '../domain/whistle';
import type { Activities } from '../activities';
import { acknowledgeUpdate, arriveUpdate, caseStateQuery, type AcknowledgeCommand } from './messages';
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
  const calendar = calendarByVersion(state.routing.calendarVersion);
  const profile = profileOf(state);
  const journal = new Journal(input.caseId, () => state, recordCaseEvents);
  journal.append('whistle.raised', input.raisedBy, { raise: input.raise, routing: state.routing, duties: state.duties }, new Date(state.raisedAt));

  setHandler(caseStateQuery, () => state);

  /** A department's action: validated by the domain rule, applied, and answered once audited. */
  function departmentAction(
    refuse: (c: WhistleCase, actor: Actor) => Refusal | undefined,
    apply: (c: WhistleCase, actor: Actor, at: Date) => WhistleCase,
    event: CaseEventType,
  ) {
    return [
      async ({ actor }: AcknowledgeCommand) => {
        const at = new Date();
        state = apply(state, actor, at);
        await journal.recorded(journal.append(event, actor, { departmentId: actor.orgUnitId }, at));
        return state;
      },
      { validator: ({ actor }: AcknowledgeCommand) => throwIfRefused(refuse(state, actor)) },
    ] as const;
  }
  setHandler(acknowledgeUpdate, ...departmentAction(refuseAcknowledge, acknowledge, 'duty.acknowledged'));
  setHandler(arriveUpdate, ...departmentAction(refuseArrival, arrive, 'duty.arrived'));

  const journalling = journal.run();

  /** One clock of one department: speaks at each milestone until the department acts. */
  async function runClock(departmentId: string, clock: ClockName): Promise<void> {
    const met = () => clockMet(state, departmentId, clock);
    const limit = limitOf(profile, clock);
    for (const m of milestones(findDuty(state, departmentId)!.clocks[clock], limit, profile, calendar)) {
      if (await condition(met, Math.max(1, m.at.getTime() - Date.now()))) return;
      const at = new Date();
      const explained = explainMilestone(departmentId, clock, findDuty(state, departmentId)!.clocks[clock], m, profile.id, limit, at);
      state = passMilestone(state, departmentId, clock, m);
      journal.append(MILESTONE_EVENTS[m.kind], SYSTEM, explained, at);
    }
  }

  await Promise.all(state.duties.flatMap((d) => CLOCKS.map((clock) => runClock(d.departmentId, clock))));
  // 事不完、人不撤: the case holds every department until the later steps release it; for now, until all are on site
  await condition(() => state.duties.length > 0 && state.duties.every((d) => d.status === 'on_site') && allHandlersFinished());
  journal.close();
  await journalling;
  return state;
}
