/**
 * Closing the loop (办理后评价): anyone on the case adds progress notes; the lead department reports
 * the result once it is on site; the township verifies it — accepting, or sending it back with a
 * reason (a second send-back escalates); silence past the township's limit counts as acceptance.
 */
import { takesPart } from './access';
import type { Move, NewEvent } from './case-event';
import { calendarOf } from './calendars';
import type { Actor } from './identity';
import { deadline } from './sla';
import { startClock } from './duty-clock';
import { unfinishedSteps } from './enforcement-plan';
import { dutyOf, isVerifier, meet, profileOf, updateDuty } from './whistle';
import type { Evidence, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

/** A second rejection of a reported result escalates to county supervision. */
export const REJECTIONS_BEFORE_ESCALATION = 2;

export function refuseProgress(c: WhistleCase, actor: Actor): Refusal | undefined {
  return takesPart(c, actor) && actor.role !== 'admin'
    ? undefined
    : { kind: 'forbidden', reason: 'only parties to the case add progress / 仅案件相关方可反馈进展' };
}

export function addProgress(c: WhistleCase, actor: Actor, at: Date, note: string, evidence: Evidence[]): WhistleCase {
  return { ...c, progress: [...(c.progress ?? []), { at: at.toISOString(), by: actor, note, evidence }] };
}

export function refuseResolve(c: WhistleCase, actor: Actor): Refusal | undefined {
  const own = dutyOf(c, actor);
  if (own?.role !== 'lead') return { kind: 'forbidden', reason: 'only the lead reports the result / 仅牵头单位可报结' };
  if (c.status !== 'in_progress')
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; a result is reported while it is in progress / 当前状态不可报结`,
    };
  if (own.status !== 'on_site')
    return { kind: 'conflict', reason: 'come on site before reporting the result / 请先到场' };
  const open = unfinishedSteps(c);
  if (open.length > 0)
    return {
      kind: 'conflict',
      reason: `the enforcement plan has steps to finish: ${open.join(', ')} / 联合执法步骤未完成`,
    };
  return undefined;
}

export function resolve(c: WhistleCase, actor: Actor, at: Date, summary: string, evidence: Evidence[]): WhistleCase {
  const verifyBy = deadline(profileOf(c).verify, at, calendarOf(c.routing)).toISOString();
  const reported = updateDuty(c, actor.orgUnitId!, (d) => ({ ...d, clocks: meet(d, 'resolve', at) }));
  return {
    ...reported,
    status: 'awaiting_verification',
    resolution: { resolvedAt: at.toISOString(), resolvedBy: actor, summary, evidence, verifyBy },
  };
}

export function refuseVerify(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (!isVerifier(c, actor)) {
    return {
      kind: 'forbidden',
      reason: c.assist
        ? "the township verifies the lead department's result on site / 由属地乡镇现场验收"
        : 'only the unit that blew the whistle verifies the result / 仅吹哨单位可验收',
    };
  }
  if (c.status !== 'awaiting_verification')
    return { kind: 'conflict', reason: `the case is ${c.status}; there is no result to verify / 无待验收结果` };
  return undefined;
}

/** Accepting moves the case on to evaluation; rejecting sends it back to work with the reason and a fresh limit. */
export function verify(c: WhistleCase, by: Actor, at: Date, accepted: boolean, reason?: string): WhistleCase {
  const verification = { at: at.toISOString(), by, accepted, silent: false, ...(reason ? { reason } : {}) };
  const verifications = [...(c.verifications ?? []), verification];
  if (accepted) return { ...c, status: 'evaluating', verifications };
  const { resolution: _sentBack, ...rest } = c;
  return { ...freshResolveLimit(rest, at), status: 'in_progress', verifications };
}

/** The lead answers for the result again, on a fresh resolve clock from `at` (send-back, reopening). */
export function freshResolveLimit<C extends Omit<WhistleCase, 'resolution'>>(c: C, at: Date): C {
  const lead = c.duties.find((d) => d.role === 'lead');
  if (!lead?.clocks.resolve) return c;
  const resolveClock = startClock(profileOf(c).resolve, at, calendarOf(c.routing));
  return {
    ...c,
    duties: c.duties.map((d) => (d === lead ? { ...d, clocks: { ...d.clocks, resolve: resolveClock } } : d)),
  };
}

/** The township stayed silent past its limit: recorded as acceptance, and as silence. */
export function acceptBySilence(c: WhistleCase, at: Date): WhistleCase {
  const verification = {
    at: at.toISOString(),
    by: { accountId: 'system' as const, role: 'system' as const },
    accepted: true,
    silent: true,
  };
  return { ...c, status: 'evaluating', verifications: [...(c.verifications ?? []), verification] };
}

/** Silence past the township's limit, recorded as acceptance and as silence, naming the rule. */
export function silentAcceptance(c: WhistleCase, at: Date): Move {
  const verifyBy = new Date(Date.parse(c.resolution!.verifyBy)).toISOString();
  const data = { accepted: true, silent: true, verifyBy, rule: `sla.${profileOf(c).id}.verify` };
  return { next: acceptBySilence(c, at), event: { type: 'case.verified', data } };
}

/** A second send-back of a reported result is no longer the departments' business alone. */
export function sendBackEscalation(c: WhistleCase): NewEvent[] {
  if (c.status !== 'in_progress' || rejections(c) < REJECTIONS_BEFORE_ESCALATION) return [];
  const data = {
    rule: 'verification.rejected-twice',
    rejections: rejections(c),
    level: 'county_supervision',
    notify: ['department_head', 'supervision_office'],
  };
  return [{ type: 'case.escalated', data }];
}

export function rejections(c: WhistleCase): number {
  return (c.verifications ?? []).filter((v) => !v.accepted).length;
}
