/**
 * Every action on a case, as a table: one row per action with its Update, its refusal rule, how it
 * changes the case, the audit event it records, and what the API shows of it (path, roles,
 * answers). The workflow registers its Update handlers from these rows; the API mounts its routes
 * and its OpenAPI document from them. Adding an action: a rule in its domain file, a row here, a
 * body schema in api/whistles/schemas.ts (ACTION_BODIES), a test.
 */
import { CASE_ROLES, type Actor, type Role } from './identity';
import type { CaseEventType, NewEvent } from './case-event';
import type { Refusal } from './case/refusal';
import type { Evidence, WhistleCase } from './case/shape';
import { classify, refuseClassify, refuseReroute, refuseReturn, reroute, returnWhistle, type Routed } from './dispatch';
import {
  arbitrate,
  decline,
  refuseArbitrate,
  refuseDecline,
  type ArbitrationRequest,
  type DeclineRequest,
} from './dispute';
import {
  completeStep,
  plan,
  refuseCompleteStep,
  refusePlan,
  type CompleteStepCommand,
  type PlanCommand,
} from './enforcement-plan';
import { evaluate, refuseEvaluate, type EvaluateRequest } from './evaluation';
import { refuseReinspect, reinspect, type ReinspectionReport } from './reinspection';
import { refuseRemind, remind, reminderRecord, type ReminderRequest } from './reminder';
import { acknowledge, arrive, refuseAcknowledge, refuseArrival } from './report-for-duty';
import {
  addProgress,
  refuseProgress,
  refuseResolve,
  refuseVerify,
  resolve,
  sendBackEscalation,
  verify,
} from './resolution';
import {
  decideSuspension,
  refuseDecideSuspension,
  refuseResume,
  refuseSuspend,
  resume,
  resumedDepartment,
  suspend,
  type SuspensionDecision,
} from './suspension';
import { mergeInto, refuseMerge, refuseWithdraw, withdraw, type MergeTarget } from './withdrawal';

/** Running cases keep the rules they started with: a changed rule asks whether the case has it. */
export type Since = (change: string) => boolean;

export interface CaseAction<R> {
  /** the Workflow Update's name: recorded in every running case's history, so never renamed */
  update: string;
  /** POST /api/v1/whistles/{id}/<path> */
  path: string;
  /** who may call it at all; the refusal rule decides for this case */
  roles: readonly Role[];
  /** what the OpenAPI document says it does, and what its 200 answer holds */
  summary: string;
  answer: string;
  /** the rule can find the request itself wrong (422), beyond "not yours" (403) and "not now" (409) */
  mayBeInvalid?: boolean;
  /** it starts clocks the working calendar may not cover yet (503 naming the missing date) */
  mayBeUnavailable?: boolean;
  /** `now`: the moment the request comes in, for rules about time (the reminder's hour) */
  refuse(c: WhistleCase, actor: Actor, request: R, now: Date): Refusal | undefined;
  /** `since(change)`: whether this case runs a change of the rules (the workflow's `patched`) */
  apply(c: WhistleCase, actor: Actor, at: Date, request: R, since: Since): WhistleCase;
  event: CaseEventType;
  /** the audit event's data (the actor is recorded apart); `c` is the case after the change */
  record(request: R, actor: Actor, c: WhistleCase): Record<string, unknown>;
  /** what the change sets off beyond its own event, recorded by the system right after it */
  consequences?(c: WhistleCase): NewEvent[];
}

/** A row, with its request type inferred from its rules. */
const row = <R extends object>(action: CaseAction<R>) => action;

/** The request as the audit trail keeps it: all of it (the actor is recorded apart). */
const asSent = <R extends object>(request: R): Record<string, unknown> => ({ ...(request as Record<string, unknown>) });
/** A called party's own duty, named in the event. */
const ownDuty = <R extends object>(request: R, actor: Actor): Record<string, unknown> => ({
  departmentId: actor.orgUnitId,
  ...(request as Record<string, unknown>),
});

const CALLED: readonly Role[] = ['department', 'township'];
const RAISERS: readonly Role[] = ['township', 'department'];

export const CASE_ACTIONS = {
  acknowledge: row<Record<never, never>>({
    update: 'acknowledge',
    path: 'acknowledge',
    roles: CALLED,
    summary: 'report for duty / 报到 (a called department; the township on a reverse whistle)',
    answer: 'the case after the report',
    refuse: (c, actor) => refuseAcknowledge(c, actor),
    apply: (c, actor, at) => acknowledge(c, actor, at),
    event: 'duty.acknowledged',
    record: (_request, actor) => ({ departmentId: actor.orgUnitId }),
  }),
  arrive: row<Record<never, never>>({
    update: 'arrive',
    path: 'on-site',
    roles: CALLED,
    summary: 'on site / 到场 (a called party that has reported for duty)',
    answer: 'the case after the arrival',
    refuse: (c, actor) => refuseArrival(c, actor),
    apply: (c, actor, at) => arrive(c, actor, at),
    event: 'duty.arrived',
    record: (_request, actor) => ({ departmentId: actor.orgUnitId }),
  }),
  classify: row<{ routing: Routed }>({
    update: 'classify',
    path: 'classify',
    roles: ['dispatcher'],
    summary: 'classify and route an unclear whistle / 分流 (the dispatch desk)',
    answer: 'routed: the departments are called',
    mayBeInvalid: true,
    mayBeUnavailable: true,
    refuse: (c, actor) => refuseClassify(c, actor),
    apply: (c, actor, at, { routing }, since) => classify(c, actor, at, routing, since('desk-resolve-clock')),
    event: 'case.classified',
    record: ({ routing }) => ({
      matter: routing.matter,
      listVersion: routing.listVersion,
      departments: routing.departments,
      slaProfile: routing.profile.id,
    }),
  }),
  returnWhistle: row<{ reason: string }>({
    update: 'return',
    path: 'return',
    roles: ['dispatcher'],
    summary:
      "return a whistle that is not the county's business / 退回 (dispatch desk; before anyone acts), with the reason",
    answer: 'returned: every clock stops; the whistle-blower is told why',
    refuse: (c, actor) => refuseReturn(c, actor),
    apply: (c, actor, at, { reason }) => returnWhistle(c, actor, at, reason),
    event: 'case.returned',
    record: asSent,
  }),
  reroute: row<{ routing: Routed; reason: string }>({
    update: 'reroute',
    path: 'reroute',
    roles: ['dispatcher'],
    summary: 'correct the routing / 重新分流 (dispatch desk; before anyone acts): fresh clocks, old duties released',
    answer: 'routed anew: the departments are called',
    mayBeInvalid: true,
    mayBeUnavailable: true,
    refuse: (c, actor) => refuseReroute(c, actor),
    apply: (c, actor, at, { routing, reason }) => reroute(c, actor, at, routing, reason),
    event: 'case.rerouted',
    record: ({ routing, reason }, _actor, c) => ({
      reason,
      matter: routing.matter,
      listVersion: routing.listVersion,
      departments: routing.departments,
      slaProfile: routing.profile.id,
      released: c.reroutes!.at(-1)!.from.matter?.code,
      releasedDepartmentIds: c
        .releasedDuties!.filter((d) => d.releasedAt === c.reroutes!.at(-1)!.at)
        .map((d) => d.departmentId),
    }),
  }),
  progress: row<{ note: string; evidence: Evidence[] }>({
    update: 'progress',
    path: 'progress',
    roles: CASE_ROLES,
    summary: 'a progress note with evidence / 进展反馈 (any party to the case)',
    answer: 'the case with the note',
    refuse: (c, actor) => refuseProgress(c, actor),
    apply: (c, actor, at, { note, evidence }) => addProgress(c, actor, at, note, evidence),
    event: 'case.progress',
    record: ({ note, evidence }) => ({ note, evidence }),
  }),
  resolve: row<{ summary: string; evidence: Evidence[] }>({
    update: 'resolve',
    path: 'resolve',
    roles: CALLED,
    summary: 'report the result / 报结 (the lead, on site)',
    answer: "awaiting the township's verification",
    refuse: (c, actor) => refuseResolve(c, actor),
    apply: (c, actor, at, { summary, evidence }) => resolve(c, actor, at, summary, evidence),
    event: 'case.resolved',
    record: ({ summary, evidence }) => ({ summary, evidence }),
  }),
  verify: row<{ accept: boolean; reason?: string }>({
    update: 'verify',
    path: 'verify',
    roles: RAISERS,
    summary:
      'verify the result / 验收 (the unit that blew the whistle; the township on a reverse whistle): accept, or send back with a reason',
    answer: 'accepted: evaluating; sent back: in progress',
    refuse: (c, actor) => refuseVerify(c, actor),
    apply: (c, actor, at, { accept, reason }) => verify(c, actor, at, accept, reason),
    event: 'case.verified',
    record: ({ accept, reason }) => ({ accepted: accept, silent: false, ...(reason ? { reason } : {}) }),
    consequences: (c) => sendBackEscalation(c),
  }),
  evaluate: row<EvaluateRequest>({
    update: 'evaluate',
    path: 'evaluate',
    roles: RAISERS,
    summary:
      'evaluate both ways / 双向评议: the township rates each department, each department the township (a reverse whistle too)',
    answer: 'the case; closed once everyone has rated',
    refuse: refuseEvaluate,
    apply: evaluate,
    event: 'case.evaluated',
    record: asSent,
  }),
  decline: row<DeclineRequest>({
    update: 'decline',
    path: 'decline',
    roles: CALLED,
    summary:
      'decline the duty, saying why / 提出异议 (a called department; the township asked to assist a reverse whistle, when the matter or the help asked is outside the list)',
    answer: 'the decline awaits the supervisor, on its own clock',
    mayBeInvalid: true,
    refuse: refuseDecline,
    apply: decline,
    event: 'duty.declined',
    record: ownDuty,
  }),
  arbitrate: row<ArbitrationRequest>({
    update: 'arbitrate',
    path: 'arbitration',
    roles: ['supervisor'],
    summary:
      "rule on a decline / 裁决 (supervisor): uphold and reassign on a fresh clock (a township's: release it, the lead keeps the matter), or reject",
    answer: 'the ruling applied',
    mayBeInvalid: true,
    refuse: refuseArbitrate,
    apply: arbitrate,
    event: 'dispute.ruled',
    record: asSent,
  }),
  suspend: row<{ reason: string }>({
    update: 'suspend',
    path: 'suspend',
    roles: CALLED,
    summary: 'ask to suspend your clocks / 申请挂起 (a called party)',
    answer: 'the request awaits approval',
    mayBeInvalid: true,
    refuse: (c, actor) => refuseSuspend(c, actor),
    apply: (c, actor, at, { reason }) => suspend(c, actor, at, reason),
    event: 'duty.suspension-requested',
    record: ownDuty,
  }),
  decideSuspension: row<SuspensionDecision>({
    update: 'decideSuspension',
    path: 'suspension/approve',
    roles: ['supervisor'],
    summary: "approve (or refuse) a suspension / 审批挂起 (supervisor): only that party's clocks stop",
    answer: 'the decision applied',
    mayBeInvalid: true,
    refuse: refuseDecideSuspension,
    apply: decideSuspension,
    event: 'duty.suspension-decided',
    record: asSent,
  }),
  resume: row<{ departmentId?: string }>({
    update: 'resume',
    path: 'resume',
    roles: [...CALLED, 'supervisor'],
    summary: 'resume suspended clocks / 恢复计时 (the party, or the supervisor naming it)',
    answer: 'clocks running again, deadlines moved by the paused time',
    mayBeInvalid: true,
    refuse: (c, actor, { departmentId }) => refuseResume(c, actor, departmentId),
    apply: (c, actor, at, { departmentId }) => resume(c, actor, at, resumedDepartment(actor, departmentId)!),
    event: 'duty.resumed',
    record: ({ departmentId }, actor) => ({ departmentId: resumedDepartment(actor, departmentId) }),
  }),
  plan: row<PlanCommand>({
    update: 'plan',
    path: 'plan',
    roles: ['department'],
    summary:
      'plan or revise joint enforcement / 联合执法计划 (the lead): steps with assignees, limits and dependencies',
    answer: 'the plan; steps without open dependencies run now',
    mayBeInvalid: true,
    refuse: refusePlan,
    apply: plan,
    event: 'plan.made',
    record: asSent,
  }),
  completeStep: row<CompleteStepCommand>({
    update: 'completeStep',
    path: 'steps/{key}/complete',
    roles: CALLED,
    summary: 'complete an enforcement step / 完成步骤 (its assignee)',
    answer: 'the step done; steps depending on it open',
    mayBeInvalid: true,
    refuse: refuseCompleteStep,
    apply: completeStep,
    event: 'step.completed',
    record: asSent,
  }),
  withdraw: row<{ reason: string }>({
    update: 'withdraw',
    path: 'withdraw',
    roles: RAISERS,
    summary: 'withdraw the whistle / 撤回 (the unit that blew it)',
    answer: 'withdrawn: every clock stops',
    mayBeInvalid: true,
    refuse: (c, actor) => refuseWithdraw(c, actor),
    apply: (c, actor, at, { reason }) => withdraw(c, actor, at, reason),
    event: 'case.withdrawn',
    record: asSent,
  }),
  merge: row<{ into: MergeTarget }>({
    update: 'merge',
    path: 'merge',
    roles: ['dispatcher'],
    summary: 'merge this duplicate into an open case / 合并重复案件 (dispatch desk; same matter, same grid)',
    answer: 'merged: its evidence joins the other case',
    mayBeInvalid: true,
    refuse: (c, actor, { into }) => refuseMerge(c, actor, into),
    apply: (c, actor, at, { into }) => mergeInto(c, actor, at, into.caseId),
    event: 'case.merged',
    // the raiser learns where the work goes on
    record: ({ into }, _actor, c) => ({ intoCaseId: into.caseId, notify: [c.raisedBy.orgUnitId] }),
  }),
  remind: row<ReminderRequest>({
    update: 'remind',
    path: 'remind',
    roles: RAISERS,
    summary: 'press a reminder / 催办 (the unit that blew the whistle; a late or nearly late party, once an hour)',
    answer: 'the reminder recorded; the party is told',
    mayBeInvalid: true,
    refuse: refuseRemind,
    apply: (c, actor, at, request) => remind(c, actor, at, request),
    event: 'duty.reminded',
    record: (request, _actor, c) => reminderRecord(request, c),
  }),
  reinspect: row<ReinspectionReport>({
    update: 'reinspect',
    path: 'reinspection',
    roles: RAISERS,
    summary: 're-inspect a closed case / 复查 (the unit that blew the whistle): no recurrence, or reopen',
    answer: 'confirmed, or reopened to the lead',
    mayBeInvalid: true,
    refuse: (c, actor) => refuseReinspect(c, actor),
    apply: reinspect,
    event: 'reinspection.answered',
    record: asSent,
  }),
};

export type CaseActions = typeof CASE_ACTIONS;
export type ActionName = keyof CaseActions;
/** What the API sends for an action (the actor comes from the token). */
export type RequestOf<K extends ActionName> = CaseActions[K] extends CaseAction<infer R> ? R : never;
/** What the Update carries: the actor and the request, flat (as every recorded history has it). */
export type CommandOf<K extends ActionName> = { actor: Actor } & RequestOf<K>;

export const ACTION_NAMES = Object.keys(CASE_ACTIONS) as ActionName[];
