/**
 * Every clock a case holds, addressed one way: the called parties' duty clocks, the dispatch desk,
 * a supervisor's arbitration of a decline, each open enforcement step. The workflow runs one
 * follower per clock and needs only these functions: where the clock is, its limit, how it speaks.
 */
import { calendarOf } from './calendars';
import type { CaseEventType } from './case-event';
import {
  advanceClock,
  DESK_EVENTS,
  DUTY_CLOCKS,
  explainMilestone,
  limitOf,
  MILESTONE_EVENTS,
  pendingMilestones,
  type ClockName,
  type Milestone,
} from './duty-clock';
import { deskLimit, type Limit } from './sla';
import { deskMilestone } from './dispatch';
import { passStepMilestone } from './enforcement-plan';
import { findDuty, passMilestone, profileOf, updateDuty } from './whistle';
import type { ClockReading, DutyClock, WhistleCase } from './case/shape';
import { FINAL_STATUSES } from './case/enums';

export type ClockRef =
  | { kind: 'duty'; departmentId: string; clock: ClockName }
  | { kind: 'desk' }
  | { kind: 'arbitration'; departmentId: string }
  | { kind: 'step'; key: string };

export const ARBITRATION_EVENTS = {
  warning: 'dispute.warned',
  breach: 'dispute.overdue',
  escalation: 'dispute.escalated',
} as const;
export const STEP_EVENTS = { warning: 'step.warned', breach: 'step.overdue', escalation: 'step.escalated' } as const;

export function clockKey(ref: ClockRef): string {
  switch (ref.kind) {
    case 'duty':
      return `duty:${ref.departmentId}:${ref.clock}`;
    case 'desk':
      return 'desk';
    case 'arbitration':
      return `arbitration:${ref.departmentId}`;
    case 'step':
      return `step:${ref.key}`;
  }
}

/** The clocks the case holds now, in a stable order (the order their followers start in). */
export function caseClocks(c: WhistleCase): ClockRef[] {
  if (FINAL_STATUSES.includes(c.status)) return [];
  return [
    ...(c.dispatch ? [{ kind: 'desk' } as const] : []),
    ...c.duties.flatMap((d) =>
      DUTY_CLOCKS.filter((clock) => d.clocks[clock]).map((clock): ClockRef => ({
        kind: 'duty',
        departmentId: d.departmentId,
        clock,
      })),
    ),
    ...c.duties.filter((d) => d.dispute).map((d): ClockRef => ({ kind: 'arbitration', departmentId: d.departmentId })),
    ...(c.plan?.steps ?? []).filter((s) => s.clock).map((s): ClockRef => ({ kind: 'step', key: s.key })),
  ];
}

export function clockAt(c: WhistleCase, ref: ClockRef): DutyClock | undefined {
  if (FINAL_STATUSES.includes(c.status)) return undefined;
  switch (ref.kind) {
    case 'duty':
      return findDuty(c, ref.departmentId)?.clocks[ref.clock];
    case 'desk':
      return c.dispatch?.clock;
    case 'arbitration':
      return findDuty(c, ref.departmentId)?.dispute?.clock;
    case 'step':
      return c.plan?.steps.find((s) => s.key === ref.key)?.clock;
  }
}

export function limitAt(c: WhistleCase, ref: ClockRef): Limit {
  const profile = profileOf(c);
  switch (ref.kind) {
    case 'duty':
      return limitOf(profile, ref.clock);
    case 'desk':
      return deskLimit(profile.classify, c.routing.deskHours);
    case 'arbitration':
      return profile.arbitrate;
    case 'step':
      return c.plan!.steps.find((s) => s.key === ref.key)!.limit;
  }
}

/** The next instants the clock speaks at (none once met, paused or gone). */
export function upcoming(c: WhistleCase, ref: ClockRef): Milestone[] {
  const clock = clockAt(c, ref);
  return clock ? pendingMilestones(clock, limitAt(c, ref), profileOf(c), calendarOf(c.routing)) : [];
}

/** What a milestone does to the case: the clock notes the warning, the breach, the rung. */
export function passClockMilestone(c: WhistleCase, ref: ClockRef, m: Milestone): WhistleCase {
  switch (ref.kind) {
    case 'duty':
      return passMilestone(c, ref.departmentId, ref.clock, m);
    case 'desk':
      return deskMilestone(c, m);
    case 'arbitration':
      return updateDuty(c, ref.departmentId, (d) => ({
        ...d,
        dispute: { ...d.dispute!, clock: advanceClock(d.dispute!.clock, m) },
      }));
    case 'step':
      return passStepMilestone(c, ref.key, m);
  }
}

/** The audit event of a milestone and its explanation: which rule, which clock, which deadline, how late. */
export function milestoneEvent(
  c: WhistleCase,
  ref: ClockRef,
  m: Milestone,
  at: Date,
): { type: CaseEventType; data: Record<string, unknown> } {
  const clock = clockAt(c, ref)!;
  const profileId = profileOf(c).id;
  const limit = limitAt(c, ref);
  switch (ref.kind) {
    case 'duty':
      return {
        type: MILESTONE_EVENTS[m.kind],
        data: explainMilestone(ref.departmentId, ref.clock, clock, m, profileId, limit, at),
      };
    case 'desk':
      return {
        type: DESK_EVENTS[m.kind],
        data: explainMilestone('dispatch-desk', 'classify', clock, m, profileId, limit, at),
      };
    case 'arbitration':
      return {
        type: ARBITRATION_EVENTS[m.kind],
        data: explainMilestone(ref.departmentId, 'arbitrate', clock, m, profileId, limit, at),
      };
    case 'step': {
      const { assignee } = c.plan!.steps.find((s) => s.key === ref.key)!;
      // a township module's step names its assignee only: the township is not a department
      const { departmentId: _unit, ...explained } = explainMilestone(
        assignee.kind === 'department' ? assignee.departmentId : assignee.townshipId,
        'step',
        clock,
        m,
        profileId,
        limit,
        at,
      );
      return {
        type: STEP_EVENTS[m.kind],
        data: {
          ...(assignee.kind === 'department' ? { departmentId: assignee.departmentId } : {}),
          ...explained,
          assignee,
          rule: `plan.step.${ref.key}`,
          step: ref.key,
        },
      };
    }
  }
}

/** Any clock of the case past its deadline and still unmet (duties, desk, arbitration, steps). */
export function isOverdue(c: WhistleCase): boolean {
  return caseClocks(c).some((ref) => {
    const clock = clockAt(c, ref);
    return clock?.overdueSince !== undefined && clock.metAt === undefined;
  });
}

export function readClocks(c: WhistleCase, now: Date): ClockReading[] {
  return caseClocks(c).map((ref) => {
    const k = clockAt(c, ref)!;
    const base = { clock: clockKey(ref), deadline: k.deadline, pausedMs: k.pausedMs ?? 0 };
    if (k.metAt !== undefined) return { ...base, state: 'met' };
    // a paused clock's time left stands still at what it was when it stopped
    const at = k.pausedAt !== undefined ? Date.parse(k.pausedAt) : now.getTime();
    const left = Date.parse(k.deadline) - at;
    if (k.pausedAt !== undefined)
      return {
        ...base,
        state: 'paused',
        pausedMs: base.pausedMs + (now.getTime() - at),
        ...(left >= 0 ? { remainingMs: left } : { lateByMs: -left }),
      };
    return left >= 0
      ? { ...base, state: 'running', remainingMs: left }
      : { ...base, state: 'overdue', lateByMs: -left };
  });
}
