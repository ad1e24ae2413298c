/**
 * Reporting for duty (报到) and coming on site (到场): each called party, on its own clocks. Once
 * every party has reported, the case is in progress (事不完、人不撤: they stay on it).
 */
import type { Refusal } from './case/refusal';
import type { WhistleCase } from './case/shape';
import type { Actor } from './identity';
import { meet, refuseOutsider, updateDuty } from './whistle';

/** A department reports for duty: only for its own duty, and only once. */
export function refuseAcknowledge(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report for duty');
  if (!('duty' in found)) return found;
  if (found.duty.status !== 'called') {
    return {
      kind: 'conflict',
      reason: `department ${found.duty.departmentId} already reported for duty at ${found.duty.acknowledgedAt} / 已报到`,
    };
  }
  return undefined;
}

/** Coming on site follows reporting for duty, once. */
export function refuseArrival(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report arrival on site');
  if (!('duty' in found)) return found;
  if (found.duty.status === 'called') return { kind: 'conflict', reason: `report for duty first / 请先报到` };
  if (found.duty.status === 'on_site')
    return {
      kind: 'conflict',
      reason: `department ${found.duty.departmentId} is on site since ${found.duty.arrivedAt} / 已到场`,
    };
  return undefined;
}

export function acknowledge(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return withStatus(
    updateDuty(c, actor.orgUnitId!, (d) => ({
      ...d,
      status: 'acknowledged',
      acknowledgedAt: at.toISOString(),
      acknowledgedBy: actor.accountId,
      clocks: meet(d, 'acknowledge', at),
    })),
  );
}

export function arrive(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return updateDuty(c, actor.orgUnitId!, (d) => ({
    ...d,
    status: 'on_site',
    arrivedAt: at.toISOString(),
    arrivedBy: actor.accountId,
    clocks: meet(d, 'onSite', at),
  }));
}

function withStatus(c: WhistleCase): WhistleCase {
  return { ...c, status: allReported(c) ? 'in_progress' : 'reporting' };
}

export function allReported(c: WhistleCase): boolean {
  return c.duties.length > 0 && c.duties.every((d) => d.status !== 'called');
}
