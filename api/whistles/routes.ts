/**
 * HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else.
 * Every action route is mounted from its row in domain/actions.ts with its body from ACTION_BODIES.
 */
import { Router, type Request } from 'express';
import { ACTION_NAMES, CASE_ACTIONS, type ActionName, type CommandOf, type RequestOf } from '../../domain/actions';
import { canSeeCase } from '../../domain/access';
import { allowedActions } from '../../domain/allowed-actions';
import { readClocks } from '../../domain/clocks';
import type { Actor } from '../../domain/identity';
import type { Department, Township } from '../../domain/organisation/schemas';
import type { CachedLookup } from '../http/cached-lookup';
import { mergeTarget } from '../../domain/withdrawal';
import { actorOf, requireRole } from '../http/authenticate';
import { idempotencyKey } from '../http/idempotency';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import { ACTION_BODIES, pathParams, type BodyOf } from './action-bodies';
import type { CaseGateway } from './case-gateway';
import type { WhistleIntake } from './intake';
import { CaseIdParam, RaiseWhistleBody } from './schemas';

/** An action whose request the API completes from elsewhere before sending it (a lookup). */
type Preparation<K extends ActionName> = (body: BodyOf<K>, actor: Actor, caseId: string) => Promise<RequestOf<K>>;
export type Preparations = { [K in ActionName]?: Preparation<K> };

/**
 * Classify routes by the list in force; merge learns what it merges into from that case itself;
 * a ruling or a plan may name only departments that exist and are active, and a plan only modules
 * its township has.
 */
export function preparations(
  cases: CaseGateway,
  intake: WhistleIntake,
  departments: CachedLookup<Department>,
  townships: CachedLookup<Township>,
): Preparations {
  const active = (named: { field: string; id: string | undefined }[]) => requireActive(departments, named);
  return {
    arbitrate: async (body) => {
      const { reassignTo, listChange } = body;
      await active([
        { field: 'reassignTo', id: reassignTo },
        { field: 'listChange.leadDepartmentId', id: listChange?.leadDepartmentId },
        ...(listChange?.cooperatingDepartmentIds ?? []).map((id, i) => ({
          field: `listChange.cooperatingDepartmentIds.${i}`,
          id,
        })),
      ]);
      return body;
    },
    plan: async (body) => {
      const assigned = body.steps.map((s, i) => ({
        field: `steps.${i}.assignee.departmentId`,
        id: s.assignee.kind === 'department' ? s.assignee.departmentId : undefined,
      }));
      await active(assigned);
      await requireModules(townships, body.steps);
      return body;
    },
    classify: (body, actor, caseId) => intake.routeForDesk(actor, caseId, body),
    reroute: async ({ reason, ...matter }, actor, caseId) => ({
      ...(await intake.routeForDesk(actor, caseId, matter)),
      reason,
    }),
    merge: async ({ intoCaseId }) => {
      const into = await cases.state(intoCaseId).catch((err: unknown) => {
        if (!(err instanceof HttpProblem && err.status === 404)) throw err;
        const errors = [{ field: 'intoCaseId', reason: 'no such case' }];
        throw new HttpProblem(422, 'Unprocessable Content', `no case ${intoCaseId} to merge into / 目标案件不存在`, {
          errors,
        });
      });
      return { into: mergeTarget(into) };
    },
  };
}

/** 422 naming the first department that does not exist or is retired. */
async function requireActive(
  departments: CachedLookup<Department>,
  named: { field: string; id: string | undefined }[],
): Promise<void> {
  for (const { field, id } of named) {
    if (id === undefined) continue;
    const found = await departments.get(id);
    if (found && !found.retired) continue;
    const reason = `${id} is not ${found ? 'an active' : 'a'} department / 部门不存在或已撤销`;
    throw new HttpProblem(422, 'Unprocessable Content', reason, { errors: [{ field, reason }] });
  }
}

/** 422 naming the first township step whose module its township does not have (the township is the workflow's to check). */
async function requireModules(
  townships: CachedLookup<Township>,
  steps: { assignee: { kind: 'department' } | { kind: 'township'; townshipId: string; module: string } }[],
): Promise<void> {
  for (const [i, { assignee }] of steps.entries()) {
    if (assignee.kind !== 'township') continue;
    const modules = (await townships.get(assignee.townshipId))?.modules;
    if (!modules || modules.some((m) => m.key === assignee.module)) continue;
    const reason = `${assignee.townshipId} has no module "${assignee.module}"; it has ${modules.map((m) => m.key).join(', ')} / 乡镇无此模块`;
    throw new HttpProblem(422, 'Unprocessable Content', reason, {
      errors: [{ field: `steps.${i}.assignee.module`, reason }],
    });
  }
}

/** The express path of a row's path: `steps/{key}/complete` → `/:id/steps/:key/complete`. */
export const expressPath = (path: string) => `/:id/${path.replace(/\{(\w+)\}/g, ':$1')}`;

export function whistleRoutes(
  cases: CaseGateway,
  intake: WhistleIntake,
  departments: CachedLookup<Department>,
  townships: CachedLookup<Township>,
): Router {
  const router = Router();

  router.post('/', requireRole('township', 'department'), async (req, res) => {
    const raise = parse(RaiseWhistleBody, req.body);
    const { case: c, created } = await intake.raise(actorOf(req), raise, idempotencyKey(req));
    res
      .status(created ? 201 : 200)
      .location(`/api/v1/whistles/${c.caseId}`)
      .json(c);
  });
  router.get('/:id', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    const c = await cases.state(id);
    if (!canSeeCase(c, actorOf(req)))
      throw new HttpProblem(403, 'Forbidden', `case ${id} is outside your scope / 无权查看`);
    const now = new Date();
    res.json({ ...c, clocksNow: readClocks(c, now), allowedActions: allowedActions(c, actorOf(req), now) });
  });

  // who may act, and when, is the workflow validator's alone: 403, 409 or 422 from there
  const prepared = preparations(cases, intake, departments, townships);
  for (const name of ACTION_NAMES) mountAction(router, cases, name, prepared[name]);
  return router;
}

function mountAction<K extends ActionName>(
  router: Router,
  cases: CaseGateway,
  name: K,
  prepare: Preparation<K> | undefined,
): void {
  const { path, roles } = CASE_ACTIONS[name];
  router.post(expressPath(path), requireRole(...roles), async (req: Request, res) => {
    const { id, ...fromPath } = parse(pathParams(path), req.params);
    const body = parse(ACTION_BODIES[name], req.body ?? {}) as BodyOf<K>;
    const actor = actorOf(req);
    const request = prepare ? await prepare(body, actor, id) : ({ ...body, ...fromPath } as RequestOf<K>);
    res.json(await cases.act(id, name, { actor, ...(request as object) } as CommandOf<K>));
  });
}
