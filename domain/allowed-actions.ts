/**
 * Which case actions a caller may take now, asked of the same refusal rules the workflow's Update
 * validators run (domain/actions.ts), so a page's buttons and the API cannot disagree. Each action is
 * asked with probe requests: one per duty or step it could name, or one blank request. A refusal that
 * only finds the probe's body wanting (`invalid`) still counts as allowed: the caller fills the body.
 */
import { s, type Infer } from './case/declare';
import { CASE_ACTIONS, ACTION_NAMES, type ActionName, type CaseAction } from './actions';
import type { Actor } from './identity';
import type { WhistleCase } from './case/shape';
import { mergeTarget } from './withdrawal';

export const AllowedActionShape = s.object({
  /** the row's name in the action table */
  action: s.string(),
  /** POST /api/v1/whistles/{id}/<path> (`{key}` filled from `targets`) */
  path: s.string(),
  /** the departments (or step keys) the action may name, for actions that name one */
  targets: s.optional(s.array(s.string())),
});
export type AllowedAction = Infer<typeof AllowedActionShape>;

/** A probe request and the target it names (a department or a step key), if any. */
interface Probe {
  request: object;
  target?: string;
}

const blank: Probe[] = [{ request: {} }];
const perDuty = (c: WhistleCase, body: (departmentId: string) => object): Probe[] =>
  c.duties.map((d) => ({ request: body(d.departmentId), target: d.departmentId }));

/** What to ask each action with; actions whose rules read no body are asked with a blank one. */
const PROBES: Partial<Record<ActionName, (c: WhistleCase, actor: Actor) => Probe[]>> = {
  arbitrate: (c) => perDuty(c, (departmentId) => ({ departmentId, decision: 'reject' })),
  decideSuspension: (c) => perDuty(c, (departmentId) => ({ departmentId, approve: true })),
  resume: (c, actor) => (actor.role === 'supervisor' ? perDuty(c, (departmentId) => ({ departmentId })) : blank),
  remind: (c) => perDuty(c, (departmentId) => ({ departmentId })),
  completeStep: (c) => (c.plan?.steps ?? []).map((st) => ({ request: { key: st.key }, target: st.key })),
  evaluate: (c) => [
    {
      request: {
        ratings: c.duties.map((d) => ({ departmentId: d.departmentId, speed: 5, attitude: 5, result: 5 })),
        cooperation: 5,
      },
    },
  ],
  plan: () => [{ request: { steps: [], reason: 'probe' } }],
  // a merge names another case: asked with an open twin of this one (same matter, same grid)
  merge: (c) => [{ request: { into: { ...mergeTarget(c), caseId: `${c.caseId}~twin`, status: 'reporting' } } }],
};

/** The actions `actor` may take on `c` at `now`, in the table's order. */
export function allowedActions(c: WhistleCase, actor: Actor, now: Date): AllowedAction[] {
  return ACTION_NAMES.flatMap((name) => {
    const row = CASE_ACTIONS[name] as CaseAction<object>;
    if (!row.roles.includes(actor.role)) return [];
    const probes = (PROBES[name] ?? (() => blank))(c, actor);
    const passing = probes.filter((p) => {
      const refusal = row.refuse(c, actor, p.request, now);
      return refusal === undefined || refusal.kind === 'invalid';
    });
    if (passing.length === 0) return [];
    const targets = passing.flatMap((p) => (p.target === undefined ? [] : [p.target]));
    return [{ action: name, path: row.path, ...(targets.length > 0 ? { targets } : {}) }];
  });
}
