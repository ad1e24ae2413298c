/**
 * Evaluation both ways (双向考核评议), then the case closes: the township rates each called
 * department on speed, attitude and result; each department rates the township's cooperation. When
 * every party has rated, or the window runs out, the case is closed with the ratings it has. On a
 * reverse whistle the township assists: it rates the lead department, which rates its cooperation.
 */
import { calendarOf } from './calendars';
import type { Move } from './case-event';
import type { Actor } from './identity';
import { deadline } from './sla';
import { dutyOf, isRaiser, partyRole, profileOf } from './whistle';
import type { DepartmentRating, Duty, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

/** The evaluation window opens when the result is accepted; it is as long as the verification limit. */
export function openEvaluation(c: WhistleCase, at: Date): WhistleCase {
  const evaluateBy = deadline(profileOf(c).verify, at, calendarOf(c.routing)).toISOString();
  return { ...c, evaluation: { evaluateBy, byDepartments: [] } };
}

export interface EvaluateRequest {
  /** the township's ratings, one per called department */
  ratings?: DepartmentRating[];
  /** a department's rating of the township's cooperation */
  cooperation?: number;
  comment?: string;
}

/**
 * Who rates the departments: the case's township — the whistle-blower, or the township assisting a
 * reverse whistle. (A reverse whistle from before the township only assisted: the department that
 * blew it rated the township it called.)
 */
function ratesDepartments(c: WhistleCase, actor: Actor): boolean {
  return c.assist ? actor.role === 'township' && actor.orgUnitId === c.assist.townshipId : isRaiser(c, actor);
}

/** The parties the rater rates, each of whom rates the township's cooperation in turn. */
function ratedParties(c: WhistleCase): Duty[] {
  return c.assist ? c.duties.filter((d) => partyRole(c, d) === 'department') : c.duties;
}

export function refuseEvaluate(c: WhistleCase, actor: Actor, request: EvaluateRequest): Refusal | undefined {
  // who first: a unit outside the case is not told the state it is in
  if (!ratesDepartments(c, actor) && !dutyOf(c, actor))
    return {
      kind: 'forbidden',
      reason: 'only the township and the called departments evaluate / 仅吹哨乡镇与被吹哨部门可评议',
    };
  if (c.status !== 'evaluating' || !c.evaluation)
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; evaluation follows the accepted result / 尚未进入评议`,
    };
  if (ratesDepartments(c, actor)) {
    if (c.evaluation.byTownship) return { kind: 'conflict', reason: 'the whistle-blower has rated already / 已评议' };
    const rated = (request.ratings ?? []).map((r) => r.departmentId).sort();
    const called = ratedParties(c)
      .map((d) => d.departmentId)
      .sort();
    if (JSON.stringify(rated) !== JSON.stringify(called))
      return {
        kind: 'conflict',
        reason: `rate each called department once: ${called.join(', ')} / 请逐一评价被吹哨部门`,
      };
    return undefined;
  }
  // a called department
  if (c.evaluation.byDepartments.some((e) => e.departmentId === actor.orgUnitId))
    return { kind: 'conflict', reason: 'this department has rated already / 已评议' };
  if (request.cooperation === undefined)
    return { kind: 'conflict', reason: "rate the township's cooperation (1–5) / 请评价乡镇配合度" };
  return undefined;
}

export function evaluate(c: WhistleCase, actor: Actor, at: Date, request: EvaluateRequest): WhistleCase {
  const evaluation = c.evaluation!;
  const next = ratesDepartments(c, actor)
    ? { ...evaluation, byTownship: { at: at.toISOString(), by: actor.accountId, ratings: request.ratings ?? [] } }
    : {
        ...evaluation,
        byDepartments: [
          ...evaluation.byDepartments,
          {
            departmentId: actor.orgUnitId!,
            at: at.toISOString(),
            by: actor.accountId,
            cooperation: request.cooperation!,
            ...(request.comment ? { comment: request.comment } : {}),
          },
        ],
      };
  return { ...c, evaluation: next };
}

export function everyoneRated(c: WhistleCase): boolean {
  const e = c.evaluation;
  return (
    Boolean(e?.byTownship) &&
    ratedParties(c).every((d) => e!.byDepartments.some((r) => r.departmentId === d.departmentId))
  );
}

export function close(c: WhistleCase, at: Date, bySilence: boolean): WhistleCase {
  return {
    ...c,
    status: 'closed',
    evaluation: { ...c.evaluation!, closedAt: at.toISOString(), closedBySilence: bySilence },
  };
}

/** The case closes: everyone has rated, or the window ran out with the ratings it has. */
export function closeCase(c: WhistleCase, at: Date, everyoneHasRated: boolean): Move {
  const next = close(c, at, !everyoneHasRated);
  const data = { everyoneRated: everyoneHasRated, evaluateBy: next.evaluation!.evaluateBy };
  return { next, event: { type: 'case.closed', data } };
}
