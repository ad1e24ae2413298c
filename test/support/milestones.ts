/** A clock's recorded milestones, read back from the audit history and checked against their instants. */
import type { Connection } from 'mongoose';
import type { ClockName } from '../../domain/duty-clock';
import { auditEventModel, caseHistory } from '../../store/audit-events';

type Recorded = { type: string; at: string; data: Record<string, any> };

/** The events of one party's duty clock, oldest first. */
export async function clockEvents(store: Connection, caseId: string, departmentId: string, clock: ClockName) {
  const history = await caseHistory(auditEventModel(store), caseId);
  return history.filter((e) => e.data.departmentId === departmentId && e.data.clock === clock);
}

/** A clock's event as the ladder reads: its type, and the fraction warned or the rung reached. */
export const milestoneName = (e: Pick<Recorded, 'type' | 'data'>) =>
  `${e.type}${e.data.fraction ? `:${e.data.fraction}` : ''}${e.data.level ? `:${e.data.level}` : ''}`;

/**
 * Each event recorded at its instant: `expected` maps the milestone names above to the instant it
 * is due. The test server fires a timer at its instant; the workflow records it with its task's
 * time, which may be a moment later (under a second), never earlier.
 */
export function expectRecordedAt(events: Recorded[], expected: Record<string, number>): void {
  const iso = (ms: number) => new Date(ms).toISOString();
  const lateness = events.map((e) => {
    const late = Date.parse(e.at) - expected[milestoneName(e)]!;
    return `${milestoneName(e)} ${late >= 0 && late < 1000 ? 'on time' : `at ${e.at}, due ${iso(expected[milestoneName(e)]!)}`}`;
  });
  expect(lateness).toEqual(Object.keys(expected).map((name) => `${name} on time`));
}
