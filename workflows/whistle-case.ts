/**
 * One workflow per whistle case (workflow id = case id). It orchestrates only: rules come from
 * domain/, side effects go through activities. Each called department has its own clocks (report
 * for duty, be on site); each clock warns, breaches and escalates on its own, and falls silent the
 * moment the department acts.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { SYSTEM, type CaseEventType } from '../domain/case-event';
import {
  caseClocks,
  clockAt,
  clockKey,
  milestoneEvent,
  passClockMilestone,
  upcoming,
  type ClockRef,
} from '../domain/clocks';
import { classify, refuseClassify } from '../domain/dispatch';
import { arbitrate, decline, refuseArbitrate, refuseDecline } from '../domain/dispute';
import { completeStep, plan, refuseCompleteStep, refusePlan } from '../domain/enforcement-plan';
import { close, evaluate, everyoneRated, openEvaluation, refuseEvaluate } from '../domain/evaluation';
import type { Actor } from '../domain/identity';
import { armReinspection, refuseReinspect, reinspect, reinspectionDays } from '../domain/reinspection';
import {
  acceptBySilence,
  addProgress,
  refuseProgress,
  refuseResolve,
  refuseVerify,
  rejections,
  REJECTIONS_BEFORE_ESCALATION,
  resolve,
  verify,
} from '../domain/resolution';
import type { Routing } from '../domain/routing';
import {
  decideSuspension,
  refuseDecideSuspension,
  refuseResume,
  refuseSuspend,
  resume,
  resumedDepartment,
  suspend,
} from '../domain/suspension';
import { CLOCKS } from '../domain/duty-clock';
import { clockMet, openCase, profileOf } from '../domain/whistle';
import { absorb, duplicateOf, mergeInto, refuseMerge, refuseWithdraw, withdraw } from '../domain/withdrawal';
import type { Activities } from '../activities';
import * as m from './messages';
import { Courier } from './courier';
import { Journal, type JournalPosition } from './journal';
import { throwIfRefused } from './refusal';
import { acknowledge, arrive, refuseAcknowledge, refuseArrival } from '../domain/report-for-duty';
import type { RaiseWhistle, WhistleCase } from '../domain/case/shape';
import type { Refusal } from '../domain/case/refusal';
import { isFinal } from '../domain/case/enums';

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
  /** a run continued as new carries the case and its journal on */
  carried?: { state: WhistleCase; journal: JournalPosition };
  /** continue as new once the history has this many events (default: when Temporal suggests it) */
  historyLimit?: number;
}

const { recordCaseEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // the audit trail must never lose an event: retry until the database is back
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export async function whistleCase(input: WhistleCaseInput): Promise<WhistleCase> {
  let state =
    input.carried?.state ??
    openCase(input.caseId, input.raise, input.raisedBy, new Date(input.raisedAt), input.routing, input.caseNumber);
  const journal = new Journal(input.caseId, () => state, recordCaseEvents, input.carried?.journal);
  if (!input.carried)
    journal.append(
      'whistle.raised',
      input.raisedBy,
      { raise: input.raise, routing: state.routing, duties: state.duties },
      new Date(state.raisedAt),
    );

  setHandler(m.caseStateQuery, () => state);

  /** An action on the case: validated by the domain rule, applied, and answered once audited. */
  function action<C extends m.AcknowledgeCommand>(
    refuse: (c: WhistleCase, actor: Actor, command: C) => Refusal | undefined,
    apply: (c: WhistleCase, command: C, at: Date) => WhistleCase,
    event: CaseEventType,
    data: (command: C) => Record<string, unknown> = ({ actor }) => ({ departmentId: actor.orgUnitId }),
    then: (at: Date, command: C) => void | Promise<void> = () => undefined,
  ) {
    return [
      async (command: C) => {
        const at = new Date();
        state = apply(state, command, at);
        const seq = journal.append(event, command.actor, data(command), at);
        await then(at, command);
        await journal.recorded(seq);
        return state;
      },
      { validator: (command: C) => throwIfRefused(refuse(state, command.actor, command)) },
    ] as const;
  }
  /** The request as the audit trail keeps it: everything but the actor, who is recorded apart. */
  const request = <C extends m.AcknowledgeCommand>({ actor: _recorded, ...rest }: C): Record<string, unknown> => rest;
  const ownDuty = <C extends m.AcknowledgeCommand>(command: C) => ({
    departmentId: command.actor.orgUnitId,
    ...request(command),
  });

  /** A second send-back of a reported result is no longer the departments' business alone. */
  function escalateRepeatedSendBack(at: Date): void {
    if (state.status === 'in_progress' && rejections(state) >= REJECTIONS_BEFORE_ESCALATION) {
      journal.append(
        'case.escalated',
        SYSTEM,
        {
          rule: 'verification.rejected-twice',
          rejections: rejections(state),
          level: 'county_supervision',
          notify: ['department_head', 'supervision_office'],
        },
        at,
      );
    }
  }

  setHandler(
    m.acknowledgeUpdate,
    ...action(refuseAcknowledge, (c, { actor }, at) => acknowledge(c, actor, at), 'duty.acknowledged'),
  );
  setHandler(m.arriveUpdate, ...action(refuseArrival, (c, { actor }, at) => arrive(c, actor, at), 'duty.arrived'));
  setHandler(
    m.classifyUpdate,
    ...action<m.ClassifyCommand>(
      refuseClassify,
      (c, { actor, routing }, at) => classify(c, actor, at, routing),
      'case.classified',
      ({ routing }) => ({
        matter: routing.matter,
        listVersion: routing.listVersion,
        departments: routing.departments,
        slaProfile: routing.profile.id,
      }),
    ),
  );
  setHandler(
    m.evaluateUpdate,
    ...action<m.EvaluateCommand>(
      refuseEvaluate,
      (c, { actor, ...rating }, at) => evaluate(c, actor, at, rating),
      'case.evaluated',
      request,
    ),
  );
  setHandler(
    m.progressUpdate,
    ...action<m.ProgressCommand>(
      refuseProgress,
      (c, { actor, note, evidence }, at) => addProgress(c, actor, at, note, evidence),
      'case.progress',
      ({ note, evidence }) => ({ note, evidence }),
    ),
  );
  setHandler(
    m.resolveUpdate,
    ...action<m.ResolveCommand>(
      refuseResolve,
      (c, { actor, summary, evidence }, at) => resolve(c, actor, at, summary, evidence),
      'case.resolved',
      ({ summary, evidence }) => ({ summary, evidence }),
    ),
  );
  setHandler(
    m.verifyUpdate,
    ...action<m.VerifyCommand>(
      refuseVerify,
      (c, { actor, accept, reason }, at) => verify(c, actor, at, accept, reason),
      'case.verified',
      ({ accept, reason }) => ({ accepted: accept, silent: false, ...(reason ? { reason } : {}) }),
      escalateRepeatedSendBack,
    ),
  );
  setHandler(
    m.declineUpdate,
    ...action<m.DeclineCommand>(
      refuseDecline,
      (c, { actor, ...why }, at) => decline(c, actor, at, why),
      'duty.declined',
      ownDuty,
    ),
  );
  setHandler(
    m.arbitrateUpdate,
    ...action<m.ArbitrateCommand>(
      refuseArbitrate,
      (c, { actor, ...ruling }, at) => arbitrate(c, actor, at, ruling),
      'dispute.ruled',
      request,
    ),
  );
  setHandler(
    m.suspendUpdate,
    ...action<m.SuspendCommand>(
      refuseSuspend,
      (c, { actor, reason }, at) => suspend(c, actor, at, reason),
      'duty.suspension-requested',
      ownDuty,
    ),
  );
  setHandler(
    m.decideSuspensionUpdate,
    ...action<m.DecideSuspensionCommand>(
      refuseDecideSuspension,
      (c, { actor, ...decision }, at) => decideSuspension(c, actor, at, decision),
      'duty.suspension-decided',
      request,
    ),
  );
  setHandler(
    m.resumeUpdate,
    ...action<m.ResumeCommand>(
      (c, actor, { departmentId }) => refuseResume(c, actor, departmentId),
      (c, { actor, departmentId }, at) => resume(c, actor, at, resumedDepartment(actor, departmentId)!),
      'duty.resumed',
      ({ actor, departmentId }) => ({ departmentId: resumedDepartment(actor, departmentId) }),
    ),
  );
  setHandler(
    m.planUpdate,
    ...action<m.PlanCommand>(
      refusePlan,
      (c, { actor, ...planned }, at) => plan(c, actor, at, planned),
      'plan.made',
      request,
    ),
  );
  setHandler(
    m.completeStepUpdate,
    ...action<m.CompleteStepCommand>(
      refuseCompleteStep,
      (c, { actor, ...done }, at) => completeStep(c, actor, at, done),
      'step.completed',
      request,
    ),
  );
  setHandler(
    m.withdrawUpdate,
    ...action<m.WithdrawCommand>(
      refuseWithdraw,
      (c, { actor, reason }, at) => withdraw(c, actor, at, reason),
      'case.withdrawn',
      request,
    ),
  );
  let merging: string | undefined;
  setHandler(
    m.mergeUpdate,
    async ({ actor, into }) => {
      const at = new Date();
      merging = into.caseId;
      try {
        // durable and exactly once: a signal between workflows is a command in this history, retried by the server
        await getExternalWorkflowHandle(into.caseId).signal(m.mergedInSignal, duplicateOf(state, at));
      } catch (err) {
        // the other case ended meanwhile: nothing changed here
        throwIfRefused({
          kind: 'conflict',
          reason: `case ${into.caseId} cannot take the duplicate in (${err instanceof Error ? err.message : String(err)}) / 目标案件无法合并`,
        });
      } finally {
        merging = undefined;
      }
      state = mergeInto(state, actor, at, into.caseId);
      await journal.recorded(
        journal.append('case.merged', actor, { intoCaseId: into.caseId, notify: [state.raisedBy.orgUnitId] }, at),
      );
      return state;
    },
    {
      validator: ({ actor, into }: m.MergeCommand) =>
        // a second merge while the first one's signal is on its way would hand the duplicate out twice
        throwIfRefused(
          merging
            ? { kind: 'conflict', reason: `the case is being merged into ${merging} / 正在合并` }
            : refuseMerge(state, actor, into),
        ),
    },
  );
  setHandler(
    m.reinspectUpdate,
    ...action<m.ReinspectCommand>(
      refuseReinspect,
      (c, { actor, ...report }, at) => reinspect(c, actor, at, report),
      'reinspection.answered',
      request,
    ),
  );
  setHandler(m.mergedInSignal, (duplicate) => {
    if (isFinal(state) || state.mergedFrom?.some((d) => d.caseId === duplicate.caseId)) return;
    state = absorb(state, duplicate);
    journal.append(
      'case.merged-in',
      SYSTEM,
      { duplicateCaseId: duplicate.caseId, raisedBy: duplicate.raisedBy, evidence: duplicate.evidence },
      new Date(),
    );
  });

  const journalling = journal.run();
  // cases started before notifications existed never call the courier
  const courier = patched('notifications')
    ? new Courier(input.caseId, journal, input.carried?.journal.notifyFrom ?? 1)
    : undefined;
  const couriering = courier?.run(() => journal.drained());

  // cases started before the lead's resolve clock existed never ran one
  const resolveClocks = patched('resolve-clock');
  const following = new Set<string>();
  /** the clock each finished follower last saw: a follower starts again only for a new clock there */
  const settled = new Map<string, unknown>();
  const unfollowed = () =>
    caseClocks(state).filter((ref) => {
      const key = clockKey(ref);
      return (
        !following.has(key) &&
        settled.get(key) !== clockAt(state, ref) &&
        (resolveClocks || !(ref.kind === 'duty' && ref.clock === 'resolve'))
      );
    });

  /**
   * One clock: speaks at each milestone still to come, and starts over whenever the clock changes
   * (met, paused, resumed, restarted). Ends once the clock is gone, or met for good.
   */
  async function follow(ref: ClockRef): Promise<void> {
    const key = clockKey(ref);
    following.add(key);
    // the lead's resolve clock restarts after a send-back or a reopening
    const restarts = ref.kind === 'duty' && ref.clock === 'resolve';
    for (;;) {
      const clock = clockAt(state, ref);
      if (!clock || (clock.metAt !== undefined && !restarts) || isFinal(state)) {
        settled.set(key, clock);
        break;
      }
      const changed = () => clockAt(state, ref) !== clock || isFinal(state);
      const next = upcoming(state, ref)[0];
      if (!next) {
        await condition(changed);
        continue;
      }
      if (await condition(changed, Math.max(1, next.at.getTime() - Date.now()))) continue;
      const at = new Date();
      const { type, data } = milestoneEvent(state, ref, next, at);
      state = passClockMilestone(state, ref, next);
      journal.append(type, SYSTEM, data, at);
    }
    following.delete(key);
  }

  /** Starts a follower for every clock the case gains: new duties, disputes, enforcement steps. */
  async function followNewClocks(): Promise<void> {
    for (;;) {
      for (const ref of unfollowed()) void follow(ref);
      await condition(() => unfollowed().length > 0);
    }
  }

  /** Waits for a reported result and the township's verdict; silence past the limit is acceptance. */
  async function verification(): Promise<void> {
    for (;;) {
      // a run continued as new may find the case evaluated and closed already
      await condition(
        () => state.status === 'awaiting_verification' || state.status === 'evaluating' || state.status === 'closed',
      );
      if (state.status !== 'awaiting_verification') return;
      const verifyBy = Date.parse(state.resolution!.verifyBy);
      if (await condition(() => state.status !== 'awaiting_verification', Math.max(1, verifyBy - Date.now()))) continue;
      const at = new Date();
      state = acceptBySilence(state, at);
      journal.append(
        'case.verified',
        SYSTEM,
        {
          accepted: true,
          silent: true,
          verifyBy: new Date(verifyBy).toISOString(),
          rule: `sla.${profileOf(state).id}.verify`,
        },
        at,
      );
    }
  }

  /** Both ways, until everyone has rated or the window runs out; then the case closes. */
  async function evaluation(): Promise<void> {
    if (!state.evaluation || state.evaluation.closedAt) state = openEvaluation(state, new Date());
    const evaluateBy = Date.parse(state.evaluation!.evaluateBy);
    const rated = await condition(() => everyoneRated(state), Math.max(1, evaluateBy - Date.now()));
    const at = new Date();
    state = close(state, at, !rated);
    journal.append('case.closed', SYSTEM, { everyoneRated: rated, evaluateBy: state.evaluation!.evaluateBy }, at);
  }

  /** 复查: after the matter's days the township answers; silence is no recurrence. True = reopened. */
  async function reinspection(): Promise<boolean> {
    if (!state.reinspection) {
      state = armReinspection(state, new Date());
      journal.append(
        'reinspection.armed',
        SYSTEM,
        {
          ...state.reinspection!,
          days: reinspectionDays(state),
          rule: `matter.${state.routing.matter!.code}.reinspection`,
        },
        new Date(),
      );
    }
    const answered = () => state.reinspection?.answeredAt !== undefined || state.status !== 'closed';
    const dueAt = Date.parse(state.reinspection!.dueAt);
    // a run continued as new after the due date has told the township already
    if (state.reinspection!.dueNotifiedAt || !(await condition(answered, Math.max(1, dueAt - Date.now())))) {
      if (!state.reinspection!.dueNotifiedAt) {
        const at = new Date();
        state = { ...state, reinspection: { ...state.reinspection!, dueNotifiedAt: at.toISOString() } };
        journal.append(
          'reinspection.due',
          SYSTEM,
          {
            dueAt: state.reinspection!.dueAt,
            answerBy: state.reinspection!.answerBy,
            notify: [state.raisedBy.orgUnitId],
          },
          at,
        );
      }
      if (!(await condition(answered, Math.max(1, Date.parse(state.reinspection!.answerBy) - Date.now())))) {
        const at = new Date();
        state = reinspect(state, SYSTEM, at, {
          recurred: false,
          note: 'no answer by the limit: no recurrence / 逾期未答复，视为未复发',
        });
        journal.append(
          'reinspection.answered',
          SYSTEM,
          { recurred: false, silent: true, answerBy: state.reinspection!.answerBy },
          at,
        );
      }
    }
    return state.status === 'in_progress';
  }

  /** The case from wherever it stands (a run continued as new resumes mid-way), to its end. */
  async function lifecycle(): Promise<void> {
    // cases started before the desk existed skipped it (and wait at the desk for ever)
    if (state.status === 'dispatching') {
      if (patched('dispatch-desk')) await follow({ kind: 'desk' });
      await condition(() => state.status !== 'dispatching');
    }
    const reported = state.duties.flatMap((d) =>
      CLOCKS.map((clock) => follow({ kind: 'duty', departmentId: d.departmentId, clock })),
    );
    void followNewClocks();
    await Promise.all(reported);
    // a party called later (an upheld decline) reports for duty too
    await condition(() => state.duties.every((d) => CLOCKS.every((clock) => clockMet(state, d.departmentId, clock))));
    if (!patched('resolve-and-verify')) {
      // cases started before resolve/verify existed ended once every department was on site
      await condition(
        () => state.duties.length > 0 && state.duties.every((d) => d.status === 'on_site') && allHandlersFinished(),
      );
      return;
    }
    for (;;) {
      // 事不完、人不撤: every department stays on the case until the township has verified the result
      await verification();
      // cases verified before evaluation existed ended at `evaluating`
      if (!patched('evaluate-and-close')) break;
      if (state.status !== 'closed') await evaluation();
      if (!(reinspectionDays(state) && patched('reinspection'))) break;
      if (!(await reinspection())) break;
      journal.append(
        'case.reopened',
        SYSTEM,
        {
          leadDepartmentId: state.duties.find((d) => d.role === 'lead')?.departmentId,
          reinspection: state.previousRounds!.at(-1)!.reinspection,
        },
        new Date(),
      );
    }
    await condition(allHandlersFinished);
  }

  /** Long cases start a fresh history, carrying the state, once no action is half-way. */
  const historyFull = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.historyLimit !== undefined && workflowInfo().historyLength >= input.historyLimit);
  const ended = await Promise.race([
    lifecycle().then(() => 'done' as const),
    condition(() => isFinal(state) && allHandlersFinished()).then(() => 'done' as const),
    condition(() => historyFull() && allHandlersFinished()).then(() => 'continue' as const),
  ]);
  if (ended === 'continue' && !isFinal(state)) {
    journal.append(
      'case.continued',
      SYSTEM,
      { runId: workflowInfo().runId, historyLength: workflowInfo().historyLength },
      new Date(),
    );
    // nothing half-way: every event recorded and handed on, no action running
    await condition(() => journal.idle() && (courier?.idle() ?? true) && allHandlersFinished());
    const position = { ...journal.position(), ...(courier ? { notifyFrom: courier.position() } : {}) };
    await continueAsNew<typeof whistleCase>({ ...input, carried: { state, journal: position } });
  }
  journal.close();
  await journalling;
  await couriering;
  return state;
}
