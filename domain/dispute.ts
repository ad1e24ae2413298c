/**
 * Disputes (推诿 made visible): a called department that believes the matter is not its own must
 * say why; the supervisor rules by the list, with its own clock. The decliner's clocks keep
 * running until the ruling. Upheld: the decliner is released — its lateness excused — and the
 * department ruled responsible is called on a fresh clock. Rejected: nothing moves.
 *
 * On a reverse whistle (部门吹哨、乡镇报到) the township assisting may decline too: the matter is
 * outside the list, or the help asked is outside its role. Upheld, the township is released and
 * nobody takes its place — the lead department keeps the matter and its steps (兜底); rejected, the
 * township assists on its running clocks. The lead department that blew the whistle declines nothing.
 */
import { calendarOf } from './calendars';
import { startClock } from './duty-clock';
import type { Actor } from './identity';
import { allReported } from './report-for-duty';
import { callDuty, findDuty, partyRole, profileOf, refuseOutsider, updateDuty } from './whistle';
import type { Assignee, Duty, EnforcementPlan, Ruling, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

const DISPUTABLE: readonly WhistleCase['status'][] = ['reporting', 'in_progress'];

export interface DeclineRequest {
  reason: string;
  /** the department it should be, in the decliner's view */
  suggestedDepartmentId?: string;
}

export interface ArbitrationRequest {
  departmentId: string;
  decision: Ruling['decision'];
  note: string;
  reassignTo?: string;
  listChange?: Ruling['listChange'];
}

export function refuseDecline(c: WhistleCase, actor: Actor, request: DeclineRequest): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'decline');
  if (!('duty' in found)) return found;
  if (c.assist && found.duty.role === 'lead')
    return {
      kind: 'forbidden',
      reason:
        'the department that blew the whistle leads it and answers for it (兜底); it may withdraw it, not decline it / 吹哨部门牵头兜底，不可提出异议',
    };
  if (!DISPUTABLE.includes(c.status))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; a duty is declined while the case is worked / 当前状态不可提出异议`,
    };
  if (found.duty.dispute)
    return {
      kind: 'conflict',
      reason: `a decline of ${found.duty.departmentId} awaits the supervisor's ruling since ${found.duty.dispute.declinedAt} / 异议待裁决`,
    };
  if (request.suggestedDepartmentId === found.duty.departmentId)
    return { kind: 'invalid', reason: 'suggest another department than your own / 建议部门不能是本部门' };
  return undefined;
}

export function decline(c: WhistleCase, actor: Actor, at: Date, request: DeclineRequest): WhistleCase {
  const clock = startClock(profileOf(c).arbitrate, at, calendarOf(c.routing));
  return updateDuty(c, actor.orgUnitId!, (d) => ({
    ...d,
    dispute: {
      departmentId: d.departmentId,
      reason: request.reason,
      ...(request.suggestedDepartmentId ? { suggestedDepartmentId: request.suggestedDepartmentId } : {}),
      declinedAt: at.toISOString(),
      declinedBy: actor.accountId,
      clock,
    },
  }));
}

export function refuseArbitrate(c: WhistleCase, actor: Actor, request: ArbitrationRequest): Refusal | undefined {
  if (actor.role !== 'supervisor')
    return { kind: 'forbidden', reason: 'only the county supervision office arbitrates / 仅督查部门可裁决' };
  const duty = findDuty(c, request.departmentId);
  if (!duty?.dispute)
    return { kind: 'conflict', reason: `no decline of ${request.departmentId} awaits a ruling / 无待裁决异议` };
  if (assisting(c, duty)) {
    if (request.reassignTo)
      return {
        kind: 'invalid',
        reason: `an upheld decline of the township releases it and reassigns nothing: the lead department ${leadOf(c)} keeps the matter (兜底); leave reassignTo out / 乡镇异议成立即解除协助，由牵头部门兜底，不改派`,
      };
    return undefined;
  }
  if (request.decision === 'uphold') {
    if (!request.reassignTo)
      return {
        kind: 'invalid',
        reason: 'an upheld decline names the department to reassign to (reassignTo) / 请指定改派部门',
      };
    if (findDuty(c, request.reassignTo))
      return { kind: 'invalid', reason: `${request.reassignTo} is already called on this case / 该部门已在案` };
  }
  return undefined;
}

/** The township assisting a reverse whistle (a duty of the township, on a case it assists). */
function assisting(c: WhistleCase, duty: Duty): boolean {
  return c.assist !== undefined && partyRole(c, duty) === 'township';
}

const leadOf = (c: WhistleCase) => c.duties.find((d) => d.role === 'lead')?.departmentId ?? '?';

/** Rules on a decline; an upheld one moves the duty, with its role, to the department ruled responsible. */
export function arbitrate(c: WhistleCase, actor: Actor, at: Date, request: ArbitrationRequest): WhistleCase {
  const duty = findDuty(c, request.departmentId)!;
  const ruling: Ruling = {
    decision: request.decision,
    at: at.toISOString(),
    by: actor.accountId,
    note: request.note,
    ...(request.decision === 'uphold' && request.reassignTo ? { reassignTo: request.reassignTo } : {}),
    ...(request.listChange ? { listChange: request.listChange } : {}),
  };
  const disputes = [
    ...(c.disputes ?? []),
    { ...duty.dispute!, clock: { ...duty.dispute!.clock, metAt: at.toISOString() }, ruling },
  ];
  if (request.decision === 'reject') {
    const { dispute: _ruled, ...stays } = duty;
    return { ...c, disputes, duties: c.duties.map((d) => (d === duty ? stays : d)) };
  }
  const { dispute: _upheld, ...released } = duty;
  if (assisting(c, duty)) return releaseTownship(c, duty, released, disputes, at);
  const successor = callDuty(request.reassignTo!, duty.role, at, profileOf(c), calendarOf(c.routing));
  return {
    ...c,
    disputes,
    duties: c.duties.map((d) => (d === duty ? successor : d)),
    ...(c.plan ? { plan: handOverSteps(c.plan, isDepartment(duty.departmentId), request.reassignTo!, at, c) } : {}),
    releasedDuties: [...(c.releasedDuties ?? []), { ...released, releasedAt: at.toISOString(), excused: true }],
    // a new party has yet to report for duty
    status: c.status === 'in_progress' ? 'reporting' : c.status,
  };
}

export function reassignments(c: Pick<WhistleCase, 'disputes'>): number {
  return (c.disputes ?? []).filter((d) => d.ruling?.decision === 'uphold').length;
}

/**
 * The township is released from the reverse whistle it assists: its lateness is excused, its
 * unfinished steps go to the lead department (兜底), and once the lead is all that is left on the
 * case, the case is in progress.
 */
function releaseTownship(
  c: WhistleCase,
  duty: Duty,
  released: Omit<Duty, 'dispute'>,
  disputes: NonNullable<WhistleCase['disputes']>,
  at: Date,
): WhistleCase {
  const duties = c.duties.filter((d) => d !== duty);
  const rest = { ...c, duties };
  return {
    ...rest,
    disputes,
    ...(c.plan ? { plan: handOverSteps(c.plan, (a) => a.kind === 'township', leadOf(c), at, c) } : {}),
    releasedDuties: [...(c.releasedDuties ?? []), { ...released, releasedAt: at.toISOString(), excused: true }],
    status: c.status === 'reporting' && allReported(rest) ? 'in_progress' : c.status,
  };
}

const isDepartment = (id: string) => (a: Assignee) => a.kind === 'department' && a.departmentId === id;

/** The released party's unfinished steps go to its successor; an open one on a fresh clock. */
function handOverSteps(
  plan: EnforcementPlan,
  from: (a: Assignee) => boolean,
  to: string,
  at: Date,
  c: WhistleCase,
): EnforcementPlan {
  const calendar = calendarOf(c.routing);
  return {
    ...plan,
    steps: plan.steps.map((s) =>
      s.status !== 'done' && from(s.assignee)
        ? {
            ...s,
            assignee: { kind: 'department', departmentId: to },
            ...(s.status === 'open' ? { clock: startClock(s.limit, at, calendar) } : {}),
          }
        : s,
    ),
  };
}
