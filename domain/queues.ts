/**
 * Work queues (待办): what each role has to do next, soonest deadline first. A called party's open
 * clocks and steps; the dispatch desk's unclassified whistles; the supervisor's declines awaiting a
 * ruling and suspensions awaiting approval. Pure: read from the case as the projection keeps it.
 */
import { s, type Infer } from './case/declare';
import { URGENCIES } from './case/enums';
import type { DutyClock, WhistleCase } from './case/shape';
import { caseClocks, clockAt, clockKey, type ClockRef } from './clocks';
import { DUTY_CLOCKS } from './duty-clock';
import { ESCALATION_LEVELS } from './sla';

export const QueueItemShape = s.object({
  caseId: s.string(),
  caseNumber: s.optional(s.string()),
  title: s.string(),
  urgency: s.enum(URGENCIES),
  /** a clock of the duty (`acknowledge`, `onSite`, `resolve`), `step:<key>`, `classify`, `ruling`, `approval` */
  waitingFor: s.string(),
  departmentId: s.optional(s.string()),
  deadline: s.optional(s.instant()),
  overdue: s.boolean(),
});
export type QueueItem = Infer<typeof QueueItemShape>;

const running = (k: DutyClock | undefined): k is DutyClock => !!k && k.metAt === undefined && k.pausedAt === undefined;

function item(c: WhistleCase, waitingFor: string, k?: DutyClock, departmentId?: string): QueueItem {
  return {
    caseId: c.caseId,
    ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
    title: c.title,
    urgency: c.urgency,
    waitingFor,
    ...(departmentId ? { departmentId } : {}),
    ...(k ? { deadline: k.deadline } : {}),
    overdue: k?.overdueSince !== undefined,
  };
}

/** A called party's running clocks and open enforcement steps. */
export function dutiesOf(c: WhistleCase, unitId: string): QueueItem[] {
  const duty = c.duties.find((d) => d.departmentId === unitId);
  const clocks = duty
    ? DUTY_CLOCKS.filter((name) => running(duty.clocks[name])).map((name) => item(c, name, duty.clocks[name]))
    : [];
  const steps = (c.plan?.steps ?? []).filter((s) => {
    const mine =
      s.assignee.kind === 'department' ? s.assignee.departmentId === unitId : s.assignee.townshipId === unitId;
    return mine && s.status === 'open' && running(s.clock);
  });
  return [...clocks, ...steps.map((s) => item(c, `step:${s.key}`, s.clock))];
}

/** A whistle waiting at the dispatch desk. */
export function atTheDesk(c: WhistleCase): QueueItem[] {
  return c.status === 'dispatching' && c.dispatch ? [item(c, 'classify', c.dispatch.clock)] : [];
}

/** Declines awaiting the supervisor's ruling (on its own clock) and suspensions awaiting approval. */
export function forSupervision(c: WhistleCase): QueueItem[] {
  return c.duties.flatMap((d) => [
    ...(d.dispute && !d.dispute.ruling ? [item(c, 'ruling', d.dispute.clock, d.departmentId)] : []),
    ...(d.suspension?.status === 'requested' ? [item(c, 'approval', undefined, d.departmentId)] : []),
  ]);
}

/** Soonest deadline first; items without one (approvals) after, oldest case first among equals. */
export function soonestFirst(items: QueueItem[]): QueueItem[] {
  return [...items].sort((a, b) => (a.deadline ?? '\uffff').localeCompare(b.deadline ?? '\uffff'));
}

export const LateClockShape = s.object({
  caseId: s.string(),
  caseNumber: s.optional(s.string()),
  title: s.string(),
  townshipId: s.string(),
  /** the clock, as `clocksNow` names it: `duty:<unit>:<clock>`, `desk`, `arbitration:<unit>`, `step:<key>` */
  clock: s.string(),
  /** who is late: the called unit, the dispatch desk, the supervision office, a step's assignee */
  late: s.string(),
  deadline: s.instant(),
  lateByMs: s.number(),
  /** the highest rung of the escalation ladder reached */
  rung: s.optional(s.enum(ESCALATION_LEVELS)),
});
export type LateClock = Infer<typeof LateClockShape>;

/** Who answers for a clock. */
function lateParty(c: WhistleCase, ref: ClockRef): string {
  switch (ref.kind) {
    case 'duty':
      return ref.departmentId;
    case 'desk':
      return 'dispatch-desk';
    case 'arbitration':
      return 'supervision-office';
    case 'step': {
      const assignee = c.plan!.steps.find((st) => st.key === ref.key)!.assignee;
      return assignee.kind === 'department' ? assignee.departmentId : `${assignee.townshipId}/${assignee.module}`;
    }
  }
}

/** A late clock as the case records it: how late it is waits for a `now` (lateAt), unless the clock is paused. */
export type StandingLateClock = Omit<LateClock, 'lateByMs'> & { pausedAt?: string };

/** Every clock of the case past its deadline and unmet, with who is late; fixed by the recorded state alone. */
export function standingLateClocks(c: WhistleCase): StandingLateClock[] {
  return caseClocks(c).flatMap((ref) => {
    const k = clockAt(c, ref);
    if (!k || k.metAt !== undefined || k.overdueSince === undefined) return [];
    return [
      {
        caseId: c.caseId,
        ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
        title: c.title,
        townshipId: c.location.townshipId,
        clock: clockKey(ref),
        late: lateParty(c, ref),
        deadline: k.deadline,
        ...(k.escalation ? { rung: k.escalation } : {}),
        ...(k.pausedAt ? { pausedAt: k.pausedAt } : {}),
      },
    ];
  });
}

/** How late a standing late clock is at `now`: a paused clock stopped being later when it paused. */
export function lateAt({ pausedAt, ...clock }: StandingLateClock, now: Date): LateClock {
  return { ...clock, lateByMs: (pausedAt ? Date.parse(pausedAt) : now.getTime()) - Date.parse(clock.deadline) };
}

/** Every clock of the case past its deadline and unmet, with who is late and how late at `now`. */
export function lateClocks(c: WhistleCase, now: Date): LateClock[] {
  return standingLateClocks(c).map((k) => lateAt(k, now));
}

/** Latest first: the longest overdue at the top. */
export function latestFirst(items: LateClock[]): LateClock[] {
  return [...items].sort((a, b) => b.lateByMs - a.lateByMs);
}
