/**
 * A duty's SLA clock as pure data, and the instants at which it speaks: warnings before the
 * deadline (50 / 75 / 90 % of the limit by default, in the limit's own time: working or wall), the
 * breach, then each rung of the escalation ladder. The workflow waits for these instants in order
 * and stops as soon as the department acts.
 */
import type { WorkingCalendar } from './calendar';
import { addWorkingTime, workingTimeBetween } from './calendar';
import { deadline, isWorkingTime, type EscalationStep, type Limit, type SlaProfile } from './sla';
import type { DutyClock } from './case/shape';

/** The report-for-duty clocks every called party has; the lead also has a `resolve` clock. */
export const CLOCKS = ['acknowledge', 'onSite'] as const;
export type ClockName = (typeof CLOCKS)[number] | 'resolve';
export const DUTY_CLOCKS: readonly ClockName[] = [...CLOCKS, 'resolve'];

export type Milestone =
  | { kind: 'warning'; fraction: number; at: Date }
  | { kind: 'breach'; at: Date }
  | { kind: 'escalation'; step: EscalationStep; at: Date };

export function startClock(limit: Limit, from: Date, calendar: WorkingCalendar): DutyClock {
  return { startedAt: from.toISOString(), deadline: deadline(limit, from, calendar).toISOString(), warned: [] };
}

/** Every instant the clock speaks, in order. */
export function milestones(
  clock: DutyClock,
  limit: Limit,
  profile: SlaProfile,
  calendar: WorkingCalendar,
): Milestone[] {
  const start = new Date(clock.countFrom ?? clock.startedAt);
  const end = new Date(clock.deadline);
  const fractionAt = (f: number): Date =>
    isWorkingTime(limit)
      ? addWorkingTime(calendar, start, Math.round(f * workingTimeBetween(calendar, start, end)))
      : new Date(start.getTime() + Math.round(f * (end.getTime() - start.getTime())));
  return [
    ...profile.warnings.map((fraction): Milestone => ({ kind: 'warning', fraction, at: fractionAt(fraction) })),
    { kind: 'breach', at: end } as Milestone,
    // a rung with no delay (the reminder) speaks at the breach itself, even at the end of office hours
    ...profile.escalation.map((step): Milestone => ({
      kind: 'escalation',
      step,
      at: step.after.amount === 0 ? end : deadline(step.after, end, calendar),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The milestones still to come: those the clock has not passed yet. A clock whose deadline moved
 * (a suspension) or a run that continued as new recomputes from here and never repeats one.
 */
export function pendingMilestones(
  clock: DutyClock,
  limit: Limit,
  profile: SlaProfile,
  calendar: WorkingCalendar,
): Milestone[] {
  if (clock.metAt !== undefined || clock.pausedAt !== undefined) return [];
  const reached = clock.escalation ? profile.escalation.findIndex((s) => s.level === clock.escalation) : -1;
  return milestones(clock, limit, profile, calendar).filter((m) => {
    if (m.kind === 'warning') return !clock.warned.includes(m.fraction);
    if (m.kind === 'breach') return clock.overdueSince === undefined;
    return profile.escalation.findIndex((s) => s.level === m.step.level) > reached;
  });
}

/** Stops a running clock (an approved suspension). */
export function pauseClock(clock: DutyClock, at: Date): DutyClock {
  return clock.metAt !== undefined || clock.pausedAt !== undefined ? clock : { ...clock, pausedAt: at.toISOString() };
}

/** Restarts a paused clock: its start and deadline move on by the paused span, in the limit's own time. */
export function resumeClock(clock: DutyClock, limit: Limit, at: Date, calendar: WorkingCalendar): DutyClock {
  if (clock.pausedAt === undefined) return clock;
  const from = new Date(clock.pausedAt);
  const paused = isWorkingTime(limit) ? workingTimeBetween(calendar, from, at) : at.getTime() - from.getTime();
  // no running time paused (a pause outside office hours): nothing moves, not even an end-of-day deadline
  const shift = (instant: string): string =>
    paused === 0
      ? instant
      : isWorkingTime(limit)
        ? addWorkingTime(calendar, new Date(instant), paused).toISOString()
        : new Date(Date.parse(instant) + paused).toISOString();
  const { pausedAt: _resumed, ...running } = clock;
  return {
    ...running,
    countFrom: shift(clock.countFrom ?? clock.startedAt),
    deadline: shift(clock.deadline),
    pausedMs: (clock.pausedMs ?? 0) + (at.getTime() - from.getTime()),
  };
}

/** What a milestone does to a clock: a warning noted, the breach marked, a rung reached. */
export function advanceClock(clock: DutyClock, m: Milestone): DutyClock {
  if (m.kind === 'warning') return { ...clock, warned: [...clock.warned, m.fraction] };
  if (m.kind === 'breach') return { ...clock, overdueSince: clock.deadline };
  return { ...clock, escalation: m.step.level };
}

export function limitOf(profile: SlaProfile, clock: ClockName): Limit {
  return profile[clock];
}

/** Every warning, breach and escalation explains itself: which rule, which clock, which deadline, how late. */
export function explainMilestone(
  departmentId: string,
  clock: ClockName | 'classify' | 'arbitrate' | 'step',
  state: DutyClock,
  m: Milestone,
  profileId: string,
  limit: Limit,
  at: Date,
) {
  const base = { departmentId, clock, rule: `sla.${profileId}.${clock}`, limit, deadline: state.deadline };
  const lateByMs = at.getTime() - Date.parse(state.deadline);
  switch (m.kind) {
    case 'warning':
      return { ...base, fraction: m.fraction };
    case 'breach':
      return { ...base, lateByMs };
    case 'escalation':
      return { ...base, level: m.step.level, notify: m.step.notify, after: m.step.after, lateByMs };
  }
}

export const MILESTONE_EVENTS = {
  warning: 'duty.warned',
  breach: 'duty.overdue',
  escalation: 'duty.escalated',
} as const;
export const DESK_EVENTS = {
  warning: 'dispatch.warned',
  breach: 'dispatch.overdue',
  escalation: 'dispatch.escalated',
} as const;
