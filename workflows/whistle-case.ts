/**
 * One workflow per whistle case (workflow id = case id). It orchestrates only: rules come from
 * domain/, side effects go through activities. Each called department has its own clocks (report
 * for duty, be on site); each clock warns, breaches and escalates on its own, and falls silent the
 * moment the department acts.
 */
import { allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { calendarByVersion } from '../domain/calendars';
import { SYSTEM, type CaseEventType } from '../domain/case-event';
import { classify, deskMilestone, refuseClassify } from '../domain/dispatch';
import { close, evaluate, everyoneRated, openEvaluation, refuseEvaluate } from '../domain/evaluation';
import { CLOCKS, DESK_EVENTS, explainMilestone, limitOf, MILESTONE_EVENTS, milestones, type ClockName, type DutyClock, type Milestone } from '../domain/duty-clock';
import type { Limit } from '../domain/sla';
import type { Actor } from '../domain/identity';
import { acceptBySilence, addProgress, refuseProgress, refuseResolve, refuseVerify, rejections, REJECTIONS_BEFORE_ESCALATION, resolve, verify } from '../domain/resolution';
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
import {
  acknowledgeUpdate,
  arriveUpdate,
  caseStateQuery,
  classifyUpdate,
  evaluateUpdate,
  progressUpdate,
  resolveUpdate,
  verifyUpdate,
  type AcknowledgeCommand,
  type ClassifyCommand,
  type EvaluateCommand,
  type ProgressCommand,
  type ResolveCommand,
  type VerifyCommand,
} from './messages';
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
  /** county-year-sequence; optional, as cases started before numbering have none */
  caseNumber?: string;
}

const { recordCaseEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // the audit trail must never lose an event: retry until the database is back
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function whistleCase(input: WhistleCaseInput): Promise<WhistleCase> {
  let state = openCase(input.caseId, input.raise, input.raisedBy, new Date(input.raisedAt), input.routing, input.caseNumber);
  const journal = new Journal(input.caseId, () => state, recordCaseEvents);
  journal.append('whistle.raised', input.raisedBy, { raise: input.raise, routing: state.routing, duties: state.duties }, new Date(state.raisedAt));

  setHandler(caseStateQuery, () => state);

  /** An action on the case: validated by the domain rule, applied, and answered once audited. */
  function action<C extends AcknowledgeCommand>(
    refuse: (c: WhistleCase, actor: Actor, command: C) => Refusal | undefined,
    apply: (c: WhistleCase, command: C, at: Date) => WhistleCase,
    event: CaseEventType,
    data: (command: C) => Record<string, unknown> = ({ actor }) => ({ departmentId: actor.orgUnitId }),
    then: (at: Date) => void = () => undefined,
  ) {
    return [
      async (command: C) => {
        const at = new Date();
        state = apply(state, command, at);
        const seq = journal.append(event, command.actor, data(command), at);
        then(at);
        await journal.recorded(seq);
        return state;
      },
      { validator: (command: C) => throwIfRefused(refuse(state, command.actor, command)) },
    ] as const;
  }

  /** A second send-back of a reported result is no longer the departments' business alone. */
  function escalateRepeatedSendBack(at: Date): void {
    if (state.status === 'in_progress' && rejections(state) >= REJECTIONS_BEFORE_ESCALATION) {
      journal.append('case.escalated', SYSTEM, { rule: 'verification.rejected-twice', rejections: rejections(state), level: 'county_supervision', notify: ['department_head', 'supervision_office'] }, at);
    }
  }

  setHandler(acknowledgeUpdate, ...action(refuseAcknowledge, (c, { actor }, at) => acknowledge(c, actor, at), 'duty.acknowledged'));
  setHandler(arriveUpdate, ...action(refuseArrival, (c, { actor }, at) => arrive(c, actor, at), 'duty.arrived'));
  setHandler(classifyUpdate, ...action<ClassifyCommand>(refuseClassify, (c, { actor, routing }, at) => classify(c, actor, at, routing), 'case.classified', ({ routing }) => ({ matter: routing.matter, listVersion: routing.listVersion, departments: routing.departments, slaProfile: routing.profile.id })));
  setHandler(evaluateUpdate, ...action<EvaluateCommand>(refuseEvaluate, (c, { actor, ...request }, at) => evaluate(c, actor, at, request), 'case.evaluated', ({ actor: _a, ...request }) => ({ ...request })));
  setHandler(progressUpdate, ...action<ProgressCommand>(refuseProgress, (c, { actor, note, evidence }, at) => addProgress(c, actor, at, note, evidence), 'case.progress', ({ note, evidence }) => ({ note, evidence })));
  setHandler(resolveUpdate, ...action<ResolveCommand>(refuseResolve, (c, { actor, summary, evidence }, at) => resolve(c, actor, at, summary, evidence), 'case.resolved', ({ summary, evidence }) => ({ summary, evidence })));
  setHandler(verifyUpdate, ...action<VerifyCommand>(refuseVerify, (c, { actor, accept, reason }, at) => verify(c, actor, at, accept, reason), 'case.verified', ({ accept, reason }) => ({ accepted: accept, silent: false, ...(reason ? { reason } : {}) }), escalateRepeatedSendBack));

  const journalling = journal.run();

  /** Waits for each milestone of a clock in turn and records it, until the step is done. */
  async function speak(clock: () => DutyClock, limit: Limit, met: () => boolean, pass: (m: Milestone) => void, explain: (m: Milestone, at: Date) => Record<string, unknown>, events: Record<Milestone['kind'], CaseEventType>): Promise<void> {
    // profile and calendar as the case holds them now (the desk may have routed it since the raise)
    for (const m of milestones(clock(), limit, profileOf(state), calendarByVersion(state.routing.calendarVersion))) {
      if (await condition(met, Math.max(1, m.at.getTime() - Date.now()))) return;
      const at = new Date();
      const explained = explain(m, at);
      pass(m);
      journal.append(events[m.kind], SYSTEM, explained, at);
    }
  }

  /** One clock of one department: speaks at each milestone until the department acts. */
  async function runClock(departmentId: string, clock: ClockName): Promise<void> {
    const profile = profileOf(state);
    const limit = limitOf(profile, clock);
    const current = () => findDuty(state, departmentId)!.clocks[clock];
    await speak(
      current,
      limit,
      () => clockMet(state, departmentId, clock),
      (m) => (state = passMilestone(state, departmentId, clock, m)),
      (m, at) => explainMilestone(departmentId, clock, current(), m, profile.id, limit, at),
      MILESTONE_EVENTS,
    );
  }

  /** The dispatch desk's clock: speaks until a dispatcher classifies the whistle. */
  async function runDeskClock(): Promise<void> {
    const profile = profileOf(state);
    const current = () => state.dispatch!.clock;
    await speak(
      current,
      profile.classify,
      () => state.status !== 'dispatching',
      (m) => (state = deskMilestone(state, m)),
      (m, at) => explainMilestone('dispatch-desk', 'classify', current(), m, profile.id, profile.classify, at),
      DESK_EVENTS,
    );
  }

  /** Waits for a reported result and the township's verdict; silence past the limit is acceptance. */
  async function verification(): Promise<void> {
    for (;;) {
      await condition(() => state.status === 'awaiting_verification' || state.status === 'evaluating');
      if (state.status === 'evaluating') return;
      const verifyBy = Date.parse(state.resolution!.verifyBy);
      if (await condition(() => state.status !== 'awaiting_verification', Math.max(1, verifyBy - Date.now()))) continue;
      const at = new Date();
      state = acceptBySilence(state, at);
      journal.append('case.verified', SYSTEM, { accepted: true, silent: true, verifyBy: new Date(verifyBy).toISOString(), rule: `sla.${profileOf(state).id}.verify` }, at);
    }
  }

  /** Both ways, until everyone has rated or the window runs out; then the case closes. */
  async function evaluation(): Promise<void> {
    state = openEvaluation(state, new Date());
    const evaluateBy = Date.parse(state.evaluation!.evaluateBy);
    const rated = await condition(() => everyoneRated(state), Math.max(1, evaluateBy - Date.now()));
    const at = new Date();
    state = close(state, at, !rated);
    journal.append('case.closed', SYSTEM, { everyoneRated: rated, evaluateBy: state.evaluation!.evaluateBy }, at);
  }

  // cases started before the desk existed skipped it (and wait at the desk for ever)
  if (state.status === 'dispatching' && patched('dispatch-desk')) {
    await runDeskClock();
    await condition(() => state.status !== 'dispatching');
  }
  await Promise.all(state.duties.flatMap((d) => CLOCKS.map((clock) => runClock(d.departmentId, clock))));
  if (patched('resolve-and-verify')) {
    // 事不完、人不撤: every department stays on the case until the township has verified the result
    await verification();
    // cases verified before evaluation existed ended at `evaluating`
    if (patched('evaluate-and-close')) await evaluation();
    await condition(allHandlersFinished);
  } else {
    // cases started before resolve/verify existed ended once every department was on site
    await condition(() => state.duties.length > 0 && state.duties.every((d) => d.status === 'on_site') && allHandlersFinished());
  }
  journal.close();
  await journalling;
  return state;
}
