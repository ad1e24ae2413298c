/**
 * What the live overdue stream (`GET /api/v1/overdue/stream`) pushes: each breach, escalation and
 * cure as its event is recorded, in the overdue list's row shape (domain/queues.ts `LateClock`) plus
 * the event. Breaches and escalations explain themselves in their event's data (clock, deadline, how
 * late, rung); a cure is a late clock met by one of the batch's events (a department reporting for
 * duty late, the desk classifying late, a step done late …), found in the state after the batch.
 * Pure: the recording activity calls it and stores the rows.
 */
import type { CaseEvent } from './case-event';
import type { DutyClock, WhistleCase } from './case/shape';
import { DUTY_CLOCKS } from './duty-clock';
import type { LateClock } from './queues';
import type { EscalationLevel } from './stats';

export const FEED_KINDS = ['breach', 'escalation', 'cure'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedRow extends LateClock {
  event: { kind: FeedKind; type: string; seq: number; at: string };
  /** who may read the row: the township and the departments in the case's scope (domain/access.ts) */
  departmentIds: string[];
}

const KIND: Partial<Record<string, FeedKind>> = {
  'duty.overdue': 'breach',
  'dispatch.overdue': 'breach',
  'dispute.overdue': 'breach',
  'step.overdue': 'breach',
  'duty.escalated': 'escalation',
  'dispatch.escalated': 'escalation',
  'dispute.escalated': 'escalation',
  'step.escalated': 'escalation',
};

/** A clock of the case, named as `clocksNow` and the overdue list name it, with who answers for it. */
interface NamedClock {
  clock: string;
  late: string;
  k: DutyClock;
}

function clocksOf(c: WhistleCase): NamedClock[] {
  return [
    ...(c.dispatch ? [{ clock: 'desk', late: 'dispatch-desk', k: c.dispatch.clock }] : []),
    ...c.duties.flatMap((d) =>
      DUTY_CLOCKS.flatMap((name) =>
        d.clocks[name] ? [{ clock: `duty:${d.departmentId}:${name}`, late: d.departmentId, k: d.clocks[name] }] : [],
      ),
    ),
    ...[...(c.disputes ?? []), ...c.duties.flatMap((d) => (d.dispute ? [d.dispute] : []))].map((x) => ({
      clock: `arbitration:${x.departmentId}`,
      late: 'supervision-office',
      k: x.clock,
    })),
    ...(c.plan?.steps ?? []).flatMap((s) =>
      s.clock
        ? [
            {
              clock: `step:${s.key}`,
              late:
                s.assignee.kind === 'department'
                  ? s.assignee.departmentId
                  : `${s.assignee.townshipId}/${s.assignee.module}`,
              k: s.clock,
            },
          ]
        : [],
    ),
  ];
}

/** The clock a milestone event speaks for, from its own data. */
function milestoneClock(e: CaseEvent): { clock: string; late: string } {
  const dept = typeof e.data.departmentId === 'string' ? e.data.departmentId : '';
  if (e.type.startsWith('dispatch.')) return { clock: 'desk', late: 'dispatch-desk' };
  if (e.type.startsWith('dispute.')) return { clock: `arbitration:${dept}`, late: 'supervision-office' };
  if (e.type.startsWith('step.')) {
    const assignee = e.data.assignee as { kind: string; departmentId?: string; townshipId?: string; module?: string };
    return {
      clock: `step:${String(e.data.step)}`,
      late: assignee?.kind === 'township' ? `${assignee.townshipId}/${assignee.module}` : dept,
    };
  }
  return { clock: `duty:${dept}:${String(e.data.clock)}`, late: dept };
}

/** The rows a recorded batch adds to the stream; `scope` is the case's departments in scope. */
export function feedRows(events: CaseEvent[], c: WhistleCase, scope: string[]): FeedRow[] {
  const base = {
    caseId: c.caseId,
    ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
    title: c.title,
    townshipId: c.location.townshipId,
    departmentIds: scope,
  };
  const rows: FeedRow[] = [];
  for (const e of events) {
    const kind = KIND[e.type];
    if (!kind) continue;
    rows.push({
      ...base,
      ...milestoneClock(e),
      deadline: String(e.data.deadline),
      lateByMs: Number(e.data.lateByMs ?? 0),
      ...(kind === 'escalation' ? { rung: e.data.level as EscalationLevel } : {}),
      event: { kind, type: e.type, seq: e.seq, at: e.at },
    });
  }
  // a cure: a clock that was overdue and is met by an event of this batch
  for (const { clock, late, k } of clocksOf(c)) {
    if (k.overdueSince === undefined || k.metAt === undefined) continue;
    const by = events.find((e) => e.at === k.metAt && !KIND[e.type]);
    if (!by) continue;
    rows.push({
      ...base,
      clock,
      late,
      deadline: k.deadline,
      lateByMs: Date.parse(k.metAt) - Date.parse(k.deadline),
      ...(k.escalation ? { rung: k.escalation } : {}),
      event: { kind: 'cure', type: by.type, seq: by.seq, at: by.at },
    });
  }
  return rows;
}
