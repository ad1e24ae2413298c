/**
 * Escalation lateness: how long after its due instant each warning, breach and escalation of a
 * clock was recorded. Read from the audit events alone: each milestone event names its clock's
 * deadline and limit (and the warning's fraction, the rung's delay), so its due instant follows;
 * the event's `at` is when the workflow's timer fired and the case moved.
 */
import type { AuditEventModel } from '../store/audit-events';
import type { Limit } from '../domain/sla';
import { summarise, type Summary } from './stats';

const MILESTONE = /\.(warned|overdue|escalated)$/;

/** A wall-clock limit in ms (the drill profile's limits are all wall clock). */
function wallMs(limit: Limit): number {
  if (limit.unit === 'minute') return limit.amount * 60_000;
  if (limit.unit === 'hour') return limit.amount * 3_600_000;
  throw new Error(`a working-time limit (${limit.unit}) has no wall-clock due instant here`);
}

interface MilestoneData {
  deadline: string;
  limit: Limit;
  fraction?: number;
  after?: Limit;
}

/** The instant a milestone was due, as domain/duty-clock.ts `milestones` places it on a wall clock. */
export function dueAt(type: string, data: MilestoneData): number {
  const deadline = Date.parse(data.deadline);
  if (type.endsWith('.warned')) {
    const span = wallMs(data.limit);
    return deadline - span + Math.round(data.fraction! * span);
  }
  if (type.endsWith('.overdue')) return deadline;
  return deadline + wallMs(data.after!);
}

export interface Lateness {
  /** milestones due before the cut-off, and how many were recorded */
  due: number;
  recorded: number;
  /** recorded minus due, ms, by kind and all together */
  byKind: Record<string, Summary>;
  all: Summary;
}

/** The lateness of every milestone of `caseIds` due before `cutOff` (ms since the epoch). */
export async function collectLateness(
  events: AuditEventModel,
  caseIds: string[],
  cutOff: number,
  expectedDue: number,
): Promise<Lateness> {
  const late = new Map<string, number[]>();
  let recorded = 0;
  for (const caseId of caseIds) {
    for (const e of await events.find({ caseId }).lean()) {
      const kind = MILESTONE.exec(e.type)?.[1];
      if (!kind) continue;
      const due = dueAt(e.type, e.data as unknown as MilestoneData);
      if (due > cutOff) continue;
      recorded++;
      const list = late.get(kind) ?? [];
      list.push(Date.parse(e.at) - due);
      late.set(kind, list);
    }
  }
  return {
    due: expectedDue,
    recorded,
    byKind: Object.fromEntries([...late].map(([k, v]) => [k, summarise(v)])),
    all: summarise([...late.values()].flat()),
  };
}
