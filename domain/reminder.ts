/**
 * 催办: the unit that blew the whistle presses a reminder on a called party that is late, or near
 * its limit (a warning at three quarters of it given), on any clock still running. It is recorded,
 * the party is told, it is counted — and it cannot be pressed more than once an hour per duty.
 */
import { isFinal } from './case/enums';
import type { Refusal } from './case/refusal';
import type { Duty, DutyClock, WhistleCase } from './case/shape';
import { DUTY_CLOCKS } from './duty-clock';
import type { Actor } from './identity';
import { findDuty, isRaiser, updateDuty } from './whistle';

/** At most one reminder an hour per duty: pressing harder does not make a department faster. */
export const REMINDER_INTERVAL_MS = 3_600_000;
/** "Near its limit": the warning at this fraction of the limit has been given. */
export const NEAR_LIMIT = 0.75;

export interface ReminderRequest {
  departmentId: string;
  note?: string;
}

/** The duty's clocks still running that are late or near their limit, by name. */
export function pressingClocks(d: Duty): { clock: string; deadline: string; overdue: boolean }[] {
  return DUTY_CLOCKS.flatMap((name) => {
    const k: DutyClock | undefined = d.clocks[name];
    if (!k || k.metAt !== undefined || k.pausedAt !== undefined) return [];
    const overdue = k.overdueSince !== undefined;
    return overdue || k.warned.some((f) => f >= NEAR_LIMIT) ? [{ clock: name, deadline: k.deadline, overdue }] : [];
  });
}

export function refuseRemind(c: WhistleCase, actor: Actor, request: ReminderRequest, now: Date): Refusal | undefined {
  if (!isRaiser(c, actor))
    return { kind: 'forbidden', reason: 'only the unit that blew the whistle presses a reminder / 仅吹哨单位可催办' };
  if (isFinal(c) || c.status === 'closed' || c.status === 'evaluating')
    return { kind: 'conflict', reason: `the case is ${c.status}; no duty is running / 当前状态不可催办` };
  const duty = findDuty(c, request.departmentId);
  if (!duty) return { kind: 'invalid', reason: `${request.departmentId} is not called on this case / 该单位未被吹哨` };
  // a reverse whistle's lead is the department that blew it: it answers for its own clocks
  if (request.departmentId === actor.orgUnitId)
    return { kind: 'invalid', reason: 'a unit does not press a reminder on itself / 不能催办本单位' };
  if (pressingClocks(duty).length === 0)
    return {
      kind: 'conflict',
      reason: `${duty.departmentId} is neither late nor near its limit on any running clock / 未临期或超期，不可催办`,
    };
  const last = duty.reminders?.at(-1);
  const next = last ? Date.parse(last.at) + REMINDER_INTERVAL_MS : 0;
  if (now.getTime() < next)
    return {
      kind: 'conflict',
      reason: `${duty.departmentId} was reminded at ${last!.at}; the next reminder from ${new Date(next).toISOString()} / 每小时最多催办一次`,
    };
  return undefined;
}

export function remind(c: WhistleCase, actor: Actor, at: Date, request: ReminderRequest): WhistleCase {
  const reminder = { at: at.toISOString(), by: actor.accountId, ...(request.note ? { note: request.note } : {}) };
  return updateDuty(c, request.departmentId, (d) => ({ ...d, reminders: [...(d.reminders ?? []), reminder] }));
}

/** What the audit event keeps: the duty, the clocks pressed and how each stands, the note. */
export function reminderRecord(request: ReminderRequest, c: WhistleCase): Record<string, unknown> {
  const duty = findDuty(c, request.departmentId)!;
  return { ...request, clocks: pressingClocks(duty), reminders: duty.reminders?.length ?? 0 };
}

/** Reminders pressed on the case, released duties included: what statistics count. */
export function reminderCount(c: WhistleCase): number {
  return [...c.duties, ...(c.releasedDuties ?? [])].reduce((n, d) => n + (d.reminders?.length ?? 0), 0);
}
