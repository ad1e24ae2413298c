/**
 * Joint enforcement (联合执法): the lead department plans steps — inspection, evidence, rectification
 * notice, penalty decision, re-inspection — each assigned to a called department or a module of the
 * case's township, each on its own clock. Steps run in parallel as far as their dependencies allow;
 * a step opens (and its clock starts) the moment its last dependency is done. The plan may be
 * revised with a reason, but what is done stays done. Pure, like whistle.ts: it runs inside the
 * case workflow, so no zod, no clock, no I/O; every instant is passed in.
 */
import { takesPart } from './access';
import { calendarOf } from './calendars';
import { advanceClock, startClock, type Milestone } from './duty-clock';
import type { Actor } from './identity';
import type { Limit } from './sla';
import { findDuty } from './whistle';
import type { Evidence, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';
import type { Assignee, DutyClock, EnforcementStep, PlannedStep } from './case/shape';

export interface PlanCommand {
  steps: PlannedStep[];
  reason?: string;
}

export interface CompleteStepCommand {
  key: string;
  note: string;
  evidence: Evidence[];
}

/** `invalid` = the plan itself is wrong (bad keys, graph or assignees): HTTP 422. */
export type PlanRefusal = Refusal | { kind: 'invalid'; reason: string };

const PLANNABLE: readonly WhistleCase['status'][] = ['reporting', 'in_progress'];

export function refusePlan(c: WhistleCase, actor: Actor, command: PlanCommand): PlanRefusal | undefined {
  const lead = c.duties.find((d) => d.role === 'lead');
  if (actor.role !== 'department' || !lead || lead.departmentId !== actor.orgUnitId) {
    return {
      kind: 'forbidden',
      reason: 'only the lead department plans joint enforcement / 仅牵头部门可制定联合执法方案',
    };
  }
  if (!PLANNABLE.includes(c.status))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; a plan is made while the case is worked on / 当前状态不可制定方案`,
    };
  if (lead.status === 'called') return { kind: 'conflict', reason: 'report for duty before planning / 请先报到' };
  if (c.plan && !command.reason?.trim())
    return { kind: 'conflict', reason: 'a revision of the plan needs a reason / 调整方案须说明理由' };
  return refuseSteps(c, command.steps);
}

/** The bad-input checks: each names what is wrong, so the lead can fix the plan and resend it. */
function refuseSteps(c: WhistleCase, steps: PlannedStep[]): PlanRefusal | undefined {
  const invalid = (reason: string): PlanRefusal => ({ kind: 'invalid', reason });
  if (steps.length === 0) return invalid('a plan has at least one step / 方案至少包含一个步骤');
  const keys = steps.map((s) => s.key);
  const repeated = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  if (repeated.length > 0) return invalid(`step keys must be unique: ${repeated.join(', ')} / 步骤标识重复`);
  for (const s of steps) {
    const unknown = s.dependsOn.filter((d) => !keys.includes(d));
    if (unknown.length > 0)
      return invalid(`step ${s.key} depends on ${unknown.join(', ')}, which the plan does not have / 依赖的步骤不存在`);
  }
  const cycle = findCycle(steps);
  if (cycle) return invalid(`the steps wait on each other in a cycle: ${cycle.join(' → ')} / 步骤依赖成环`);
  for (const s of steps) {
    const refusal = refuseAssignee(c, s);
    if (refusal) return invalid(refusal);
  }
  for (const done of (c.plan?.steps ?? []).filter((s) => s.status === 'done')) {
    const kept = steps.find((s) => s.key === done.key);
    if (!kept) return invalid(`step ${done.key} is done and cannot be dropped / 已完成步骤不可删除`);
    if (!sameAssignee(kept.assignee, done.assignee))
      return invalid(`step ${done.key} is done and cannot be reassigned / 已完成步骤不可改派`);
  }
  return undefined;
}

function refuseAssignee(c: WhistleCase, s: PlannedStep): string | undefined {
  const a = s.assignee;
  if (a.kind === 'department') {
    return findDuty(c, a.departmentId)
      ? undefined
      : `step ${s.key}: department ${a.departmentId} is not called on this case / 该部门未被吹哨`;
  }
  if (a.townshipId !== c.location.townshipId)
    return `step ${s.key}: township ${a.townshipId} is not the case's township ${c.location.townshipId} / 只能指派本案乡镇`;
  return c.assist ? refuseAssistStep(c, s, a.module) : undefined;
}

/** On a reverse whistle the township's steps go to the module asked to assist, while it assists. */
function refuseAssistStep(c: WhistleCase, s: PlannedStep, module: string): string | undefined {
  const { townshipId, module: asked } = c.assist!;
  if (!findDuty(c, townshipId))
    return `step ${s.key}: the township was released from this case; the lead department carries it / 乡镇已解除协助，由牵头部门承担`;
  return module === asked
    ? undefined
    : `step ${s.key}: the whistle asked the township's ${asked} module to assist, not ${module} / 只能指派被呼叫协助的乡镇模块`;
}

/** The first cycle found, as a path that ends where it starts (a → b → a). */
function findCycle(steps: PlannedStep[]): string[] | undefined {
  const dependsOn = new Map(steps.map((s) => [s.key, s.dependsOn]));
  const finished = new Set<string>();
  const path: string[] = [];
  const visit = (key: string): string[] | undefined => {
    if (finished.has(key)) return undefined;
    if (path.includes(key)) return [...path.slice(path.indexOf(key)), key];
    path.push(key);
    for (const d of dependsOn.get(key) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    path.pop();
    finished.add(key);
    return undefined;
  };
  for (const s of steps) {
    const cycle = visit(s.key);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * A new plan, or a revision. A done step is kept exactly as it was done (its record, evidence and
 * clock; what is resent for it beyond key and assignee is ignored). Every other step is rebuilt
 * from the command and opens now if its dependencies are done. A step that was open and stays
 * open with the same assignee and limit keeps its running clock: revising the plan must not reset
 * a late step's deadline. Changing its limit or assignee, or putting it behind a new dependency,
 * does start it afresh — a visible change, made with a recorded reason.
 */
export function plan(c: WhistleCase, actor: Actor, at: Date, command: PlanCommand): WhistleCase {
  const before = new Map((c.plan?.steps ?? []).map((s) => [s.key, s]));
  const steps = command.steps.map((p): EnforcementStep => {
    const old = before.get(p.key);
    return old?.status === 'done' ? old : { ...plannedOf(p), status: 'waiting', evidence: [] };
  });
  const carried = (s: EnforcementStep): DutyClock | undefined => {
    const old = before.get(s.key);
    return old?.status === 'open' && sameAssignee(old.assignee, s.assignee) && sameLimit(old.limit, s.limit)
      ? old.clock
      : undefined;
  };
  const reasons = [
    ...(c.plan?.reasons ?? []),
    ...(command.reason ? [{ at: at.toISOString(), by: actor.accountId, reason: command.reason }] : []),
  ];
  return {
    ...c,
    plan: {
      revision: (c.plan?.revision ?? 0) + 1,
      plannedAt: at.toISOString(),
      plannedBy: actor.accountId,
      reasons,
      steps: openReady(c, steps, at, carried),
    },
  };
}

export function refuseCompleteStep(c: WhistleCase, actor: Actor, command: CompleteStepCommand): Refusal | undefined {
  // who first: a unit outside the case is not told what its plan holds
  if (!takesPart(c, actor))
    return { kind: 'forbidden', reason: 'only a party to the case completes its steps / 仅案件相关方可完成步骤' };
  const step = c.plan?.steps.find((s) => s.key === command.key);
  if (!step) return { kind: 'conflict', reason: `the plan has no step ${command.key} / 方案中无此步骤` };
  if (!isAssignee(step.assignee, actor))
    return { kind: 'forbidden', reason: `only the assignee completes step ${step.key} / 仅承办单位可完成该步骤` };
  if (!ofAssignedModule(step.assignee, actor))
    return {
      kind: 'forbidden',
      reason: `step ${step.key} is the ${moduleOf(step.assignee)} module's; account ${actor.accountId} belongs to the ${actor.module} module / 该步骤由${moduleOf(step.assignee)}模块承办`,
    };
  if (!PLANNABLE.includes(c.status))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; steps are completed while it is worked on / 当前状态不可完成步骤`,
    };
  if (step.status === 'done')
    return { kind: 'conflict', reason: `step ${step.key} was completed at ${step.completedAt} / 该步骤已完成` };
  if (step.status === 'waiting') {
    const pending = step.dependsOn.filter((d) => c.plan!.steps.find((s) => s.key === d)?.status !== 'done');
    return { kind: 'conflict', reason: `step ${step.key} waits on ${pending.join(', ')} / 该步骤须待前序步骤完成` };
  }
  return undefined;
}

/** The step is done (its clock met now), and every step this was the last dependency of opens now. */
export function completeStep(c: WhistleCase, actor: Actor, at: Date, command: CompleteStepCommand): WhistleCase {
  if (!c.plan) return c;
  const now = at.toISOString();
  const steps = c.plan.steps.map((s): EnforcementStep =>
    s.key === command.key
      ? {
          ...s,
          status: 'done',
          ...(s.clock ? { clock: { ...s.clock, metAt: now } } : {}),
          completedAt: now,
          completedBy: actor.accountId,
          note: command.note,
          evidence: command.evidence,
        }
      : s,
  );
  return { ...c, plan: { ...c.plan, steps: openReady(c, steps, at) } };
}

/** Resolving the case requires it: no plan, or every step done. */
export function planDone(c: WhistleCase): boolean {
  return unfinishedSteps(c).length === 0;
}

/** The keys of the steps not done yet, for a refusal to name. */
export function unfinishedSteps(c: WhistleCase): string[] {
  return (c.plan?.steps ?? []).filter((s) => s.status !== 'done').map((s) => s.key);
}

/** The clocks the workflow runs: one per open step, with its limit for the milestones. */
export function openStepClocks(c: WhistleCase): { key: string; clock: DutyClock; limit: Limit }[] {
  return (c.plan?.steps ?? []).flatMap((s) =>
    s.status === 'open' && s.clock ? [{ key: s.key, clock: s.clock, limit: s.limit }] : [],
  );
}

/**
 * A warning, breach or escalation on a step's clock. A step that is no longer open (completed or
 * revised away while the milestone was due) is left as it is.
 */
export function passStepMilestone(c: WhistleCase, key: string, m: Milestone): WhistleCase {
  if (!c.plan) return c;
  const steps = c.plan.steps.map((s) =>
    s.key === key && s.status === 'open' && s.clock ? { ...s, clock: advanceClock(s.clock, m) } : s,
  );
  return { ...c, plan: { ...c.plan, steps } };
}

/** Opens each waiting step whose dependencies are all done, on a carried clock or a fresh one from `at`. */
function openReady(
  c: WhistleCase,
  steps: EnforcementStep[],
  at: Date,
  carried: (s: EnforcementStep) => DutyClock | undefined = () => undefined,
): EnforcementStep[] {
  const done = new Set(steps.filter((s) => s.status === 'done').map((s) => s.key));
  const calendar = calendarOf(c.routing);
  return steps.map((s) =>
    s.status === 'waiting' && s.dependsOn.every((d) => done.has(d))
      ? { ...s, status: 'open', clock: carried(s) ?? startClock(s.limit, at, calendar) }
      : s,
  );
}

/** The township's own account acts for its modules; a department acts through its officers. */
function isAssignee(a: Assignee, actor: Actor): boolean {
  return a.kind === 'department'
    ? actor.role === 'department' && actor.orgUnitId === a.departmentId
    : actor.role === 'township' && actor.orgUnitId === a.townshipId;
}

/**
 * A township step is its module's (模块): an account of another module may not complete it. An
 * account without a module acts for the township as a whole (its leadership, and the accounts made
 * before modules existed) and may complete any of its modules' steps.
 */
function ofAssignedModule(a: Assignee, actor: Actor): boolean {
  return a.kind === 'department' || actor.module === undefined || actor.module === a.module;
}

const moduleOf = (a: Assignee) => (a.kind === 'township' ? a.module : '');

function sameAssignee(a: Assignee, b: Assignee): boolean {
  if (a.kind === 'department') return b.kind === 'department' && a.departmentId === b.departmentId;
  return b.kind === 'township' && a.townshipId === b.townshipId && a.module === b.module;
}

function sameLimit(a: Limit, b: Limit): boolean {
  return a.amount === b.amount && a.unit === b.unit;
}

/** Only the planned fields, copied: nothing else the caller's object carries reaches the case state. */
function plannedOf(p: PlannedStep): PlannedStep {
  return {
    key: p.key,
    title: p.title,
    kind: p.kind,
    assignee: { ...p.assignee },
    limit: { amount: p.limit.amount, unit: p.limit.unit },
    dependsOn: [...p.dependsOn],
  };
}
