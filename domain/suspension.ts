/**
 * Suspending a clock for a legitimate reason (waiting for an external approval): the department
 * asks, the supervisor approves, and from then until it resumes that department's running clocks
 * stand still — only its own: every other party's clocks run on.
 */
import { calendarOf } from './calendars';
import { DUTY_CLOCKS, limitOf, pauseClock, resumeClock } from './duty-clock';
import type { Actor } from './identity';
import type { Limit } from './sla';
import { findDuty, profileOf, refuseOutsider, updateDuty } from './whistle';
import type { DutyClock, EnforcementStep, Duty, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

const SUSPENDABLE: readonly WhistleCase['status'][] = ['reporting', 'in_progress'];

export function refuseSuspend(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'ask for a suspension');
  if (!('duty' in found)) return found;
  if (!SUSPENDABLE.includes(c.status))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; clocks are suspended while the case is worked / 当前状态不可挂起`,
    };
  if (found.duty.suspension)
    return {
      kind: 'conflict',
      reason: `a suspension is ${found.duty.suspension.status} since ${found.duty.suspension.requestedAt} / 已有挂起申请`,
    };
  return undefined;
}

export function suspend(c: WhistleCase, actor: Actor, at: Date, reason: string): WhistleCase {
  return updateDuty(c, actor.orgUnitId!, (d) => ({
    ...d,
    suspension: { reason, requestedAt: at.toISOString(), requestedBy: actor.accountId, status: 'requested' },
  }));
}

export interface SuspensionDecision {
  departmentId: string;
  approve: boolean;
  note?: string;
}

export function refuseDecideSuspension(c: WhistleCase, actor: Actor, request: SuspensionDecision): Refusal | undefined {
  if (actor.role !== 'supervisor')
    return {
      kind: 'forbidden',
      reason: 'only the county supervision office approves a suspension / 仅督查部门可审批挂起',
    };
  if (findDuty(c, request.departmentId)?.suspension?.status !== 'requested')
    return {
      kind: 'conflict',
      reason: `no suspension of ${request.departmentId} awaits approval / 无待审批的挂起申请`,
    };
  return undefined;
}

/** Approved: the department's running clocks stop now. Refused: the request is closed, the clocks never stopped. */
export function decideSuspension(c: WhistleCase, actor: Actor, at: Date, request: SuspensionDecision): WhistleCase {
  const decided = updateDuty(c, request.departmentId, (d) => {
    const decided = {
      ...d.suspension!,
      decidedAt: at.toISOString(),
      decidedBy: actor.accountId,
      ...(request.note ? { note: request.note } : {}),
    };
    if (!request.approve) return closeSuspension({ ...d, suspension: { ...decided, status: 'refused' } });
    return { ...d, suspension: { ...decided, status: 'approved' }, clocks: mapClocks(d, (k) => pauseClock(k, at)) };
  });
  return request.approve ? mapSteps(decided, request.departmentId, (k) => pauseClock(k, at)) : decided;
}

/** The department itself or the supervisor ends an approved suspension. */
export function refuseResume(c: WhistleCase, actor: Actor, departmentId: string | undefined): Refusal | undefined {
  const id = resumedDepartment(actor, departmentId);
  if (actor.role !== 'supervisor') {
    const found = refuseOutsider(c, actor, 'resume');
    if (!('duty' in found)) return found;
  }
  if (findDuty(c, id)?.suspension?.status !== 'approved')
    return { kind: 'conflict', reason: `no suspension of ${id ?? '(name departmentId)'} is in force / 无生效中的挂起` };
  return undefined;
}

/** Whose clocks a resume is for: the supervisor names the department, a party resumes its own. */
export function resumedDepartment(actor: Actor, departmentId: string | undefined): string | undefined {
  return actor.role === 'supervisor' ? departmentId : actor.orgUnitId;
}

export function resume(c: WhistleCase, actor: Actor, at: Date, departmentId: string): WhistleCase {
  const calendar = calendarOf(c.routing);
  const profile = profileOf(c);
  const resumed = updateDuty(c, departmentId, (d) =>
    closeSuspension({
      ...d,
      suspension: { ...d.suspension!, status: 'ended', resumedAt: at.toISOString(), resumedBy: actor.accountId },
      clocks: mapClocks(d, (k, name) => resumeClock(k, limitOf(profile, name), at, calendar)),
    }),
  );
  return mapSteps(resumed, departmentId, (k, limit) => resumeClock(k, limit, at, calendar));
}

/** The department's open enforcement steps stand still with its duty clocks. */
function mapSteps(
  c: WhistleCase,
  departmentId: string,
  change: (k: DutyClock, limit: Limit) => DutyClock,
): WhistleCase {
  if (!c.plan) return c;
  const own = (s: EnforcementStep) =>
    s.clock && s.assignee.kind === 'department' && s.assignee.departmentId === departmentId;
  return {
    ...c,
    plan: { ...c.plan, steps: c.plan.steps.map((s) => (own(s) ? { ...s, clock: change(s.clock!, s.limit) } : s)) },
  };
}

function mapClocks(d: Duty, change: (k: DutyClock, name: (typeof DUTY_CLOCKS)[number]) => DutyClock): Duty['clocks'] {
  const clocks = { ...d.clocks };
  for (const name of DUTY_CLOCKS) if (clocks[name]) clocks[name] = change(clocks[name], name);
  return clocks;
}

function closeSuspension(d: Duty): Duty {
  const { suspension, ...rest } = d;
  return { ...rest, suspensions: [...(d.suspensions ?? []), suspension!] };
}
