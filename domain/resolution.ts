/**
 * Closing the loop (办理后评价): anyone on the case adds progress notes; the lead department reports
 * the result once it is on site; the township verifies it — accepting, or sending it back with a
 * reason (a second send-back escalates); silence past the township's limit counts as acceptance.
 */
import { canSeeCase } from './access';
import { calendarByVersion } from './calendars';
import type { Actor } from './identity';
import { deadline } from './sla';
import { findDuty, profileOf, type Evidence, type Refusal, type WhistleCase } from './whistle';

/** A second rejection of a reported result escalates to county supervision. */
export const REJECTIONS_BEFORE_ESCALATION = 2;

export function refuseProgress(c: WhistleCase, actor: Actor): Refusal | undefined {
  return canSeeCase(c, actor) && actor.role !== 'admin' ? undefined : { kind: 'forbidden', reason: 'only parties to the case add progress / 仅案件相关方可反馈进展' };
}

export function addProgress(c: WhistleCase, actor: Actor, at: Date, note: string, evidence: Evidence[]): WhistleCase {
  return { ...c, progress: [...(c.progress ?? []), { at: at.toISOString(), by: actor, note, evidence }] };
}

export function refuseResolve(c: WhistleCase, actor: Actor): Refusal | undefined {
  const lead = c.duties.find((d) => d.role === 'lead');
  if (actor.role !== 'department' || !lead || lead.departmentId !== actor.orgUnitId) {
    return { kind: 'forbidden', reason: 'only the lead department reports the result / 仅牵头部门可报结' };
  }
  if (c.status !== 'in_progress') return { kind: 'conflict', reason: `the case is ${c.status}; a result is reported while it is in progress / 当前状态不可报结` };
  if (findDuty(c, actor.orgUnitId)?.status !== 'on_site') return { kind: 'conflict', reason: 'come on site before reporting the result / 请先到场' };
  return undefined;
}

export function resolve(c: WhistleCase, actor: Actor, at: Date, summary: string, evidence: Evidence[]): WhistleCase {
  const verifyBy = deadline(profileOf(c).verify, at, calendarByVersion(c.routing.calendarVersion)).toISOString();
  return { ...c, status: 'awaiting_verification', resolution: { resolvedAt: at.toISOString(), resolvedBy: actor, summary, evidence, verifyBy } };
}

export function refuseVerify(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'township' || actor.orgUnitId !== c.location.townshipId) {
    return { kind: 'forbidden', reason: 'only the township that blew the whistle verifies the result / 仅吹哨乡镇可验收' };
  }
  if (c.status !== 'awaiting_verification') return { kind: 'conflict', reason: `the case is ${c.status}; there is no result to verify / 无待验收结果` };
  return undefined;
}

/** Accepting moves the case on to evaluation; rejecting sends it back to work with the reason. */
export function verify(c: WhistleCase, by: Actor, at: Date, accepted: boolean, reason?: string): WhistleCase {
  const verification = { at: at.toISOString(), by, accepted, silent: false, ...(reason ? { reason } : {}) };
  const verifications = [...(c.verifications ?? []), verification];
  if (accepted) return { ...c, status: 'evaluating', verifications };
  const { resolution: _sentBack, ...rest } = c;
  return { ...rest, status: 'in_progress', verifications };
}

/** The township stayed silent past its limit: recorded as acceptance, and as silence. */
export function acceptBySilence(c: WhistleCase, at: Date): WhistleCase {
  const verification = { at: at.toISOString(), by: { accountId: 'system' as const, role: 'system' as const }, accepted: true, silent: true };
  return { ...c, status: 'evaluating', verifications: [...(c.verifications ?? []), verification] };
}

export function rejections(c: WhistleCase): number {
  return (c.verifications ?? []).filter((v) => !v.accepted).length;
}
