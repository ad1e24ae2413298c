/**
 * A case ends early in two ways: the whistle-blower withdraws it, with a reason; or the dispatch
 * desk merges a duplicate (same matter, same grid) into an open case, so it is not worked twice —
 * the duplicate's evidence joins the survivor and its raiser is told where the work goes on.
 */
import type { Actor } from './identity';
import { isRaiser } from './whistle';
import type { Move } from './case-event';
import { isFinal } from './case/enums';
import type { Refusal } from './case/refusal';
import type { MergedDuplicate, WhistleCase } from './case/shape';

/** Before a result is accepted the case can still be withdrawn or merged. */
const OPEN: readonly WhistleCase['status'][] = ['dispatching', 'reporting', 'in_progress', 'awaiting_verification'];

export function refuseWithdraw(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (!isRaiser(c, actor))
    return { kind: 'forbidden', reason: 'only the unit that blew the whistle withdraws it / 仅吹哨单位可撤回' };
  if (!OPEN.includes(c.status))
    return { kind: 'conflict', reason: `the case is ${c.status}; only an open case is withdrawn / 当前状态不可撤回` };
  return undefined;
}

export function withdraw(c: WhistleCase, actor: Actor, at: Date, reason: string): WhistleCase {
  return { ...c, status: 'withdrawn', withdrawal: { at: at.toISOString(), by: actor.accountId, reason } };
}

/** What the duplicate must know of the case it merges into (the API reads it from that case). */
export interface MergeTarget {
  caseId: string;
  status: WhistleCase['status'];
  matterCode?: string;
  gridId?: string;
}

export function refuseMerge(duplicate: WhistleCase, actor: Actor, into: MergeTarget): Refusal | undefined {
  if (actor.role !== 'dispatcher')
    return { kind: 'forbidden', reason: 'only the dispatch desk merges duplicates / 仅调度室可合并' };
  if (into.caseId === duplicate.caseId)
    return { kind: 'invalid', reason: 'a case cannot merge into itself / 不能与自身合并' };
  if (!OPEN.includes(duplicate.status))
    return {
      kind: 'conflict',
      reason: `the case is ${duplicate.status}; only an open case is merged / 当前状态不可合并`,
    };
  if (!OPEN.includes(into.status))
    return {
      kind: 'conflict',
      reason: `case ${into.caseId} is ${into.status}; merge into an open case / 目标案件已结束`,
    };
  const matter = duplicate.routing.matter?.code;
  if (!matter || matter !== into.matterCode)
    return {
      kind: 'conflict',
      reason: `a duplicate has the same matter: ${matter ?? 'none'} ≠ ${into.matterCode ?? 'none'} / 事项不同`,
    };
  if (!duplicate.location.gridId || duplicate.location.gridId !== into.gridId)
    return {
      kind: 'conflict',
      reason: `a duplicate is in the same grid: ${duplicate.location.gridId ?? 'none'} ≠ ${into.gridId ?? 'none'} / 网格不同`,
    };
  return undefined;
}

export function mergeTarget(c: WhistleCase): MergeTarget {
  return {
    caseId: c.caseId,
    status: c.status,
    ...(c.routing.matter ? { matterCode: c.routing.matter.code } : {}),
    ...(c.location.gridId ? { gridId: c.location.gridId } : {}),
  };
}

export function mergeInto(c: WhistleCase, actor: Actor, at: Date, intoCaseId: string): WhistleCase {
  return { ...c, status: 'merged', mergedInto: { caseId: intoCaseId, at: at.toISOString(), by: actor.accountId } };
}

export function duplicateOf(c: WhistleCase, at: Date): MergedDuplicate {
  return {
    caseId: c.caseId,
    at: at.toISOString(),
    raisedBy: c.raisedBy,
    evidence: [...(c.evidence ?? []), ...(c.progress ?? []).flatMap((p) => p.evidence)],
  };
}

/** The survivor takes the duplicate in (once, however often the signal arrives). */
export function absorb(c: WhistleCase, duplicate: MergedDuplicate): WhistleCase {
  if (c.mergedFrom?.some((m) => m.caseId === duplicate.caseId)) return c;
  return {
    ...c,
    mergedFrom: [...(c.mergedFrom ?? []), duplicate],
    evidence: [...(c.evidence ?? []), ...duplicate.evidence],
  };
}

/** The survivor takes a duplicate in: once, however often the signal arrives, and never once ended. */
export function takeIn(c: WhistleCase, duplicate: MergedDuplicate): Move | undefined {
  if (isFinal(c) || c.mergedFrom?.some((d) => d.caseId === duplicate.caseId)) return undefined;
  const data = { duplicateCaseId: duplicate.caseId, raisedBy: duplicate.raisedBy, evidence: duplicate.evidence };
  return { next: absorb(c, duplicate), event: { type: 'case.merged-in', data } };
}
