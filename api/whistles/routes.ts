/** HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else. */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { CURRENT_CALENDAR_VERSION } from '../../domain/calendars';
import { isRefusal, route } from '../../domain/routing';
import { openCase } from '../../domain/whistle';
import type { Township } from '../../domain/organisation/schemas';
import type { CachedLookup } from '../http/cached-lookup';
import type { ListInForceCache } from '../matters/list-in-force';
import { actorOf, requireRole } from '../http/authenticate';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import { AcknowledgeBody, CaseIdParam, RaiseWhistleBody } from './schemas';

export function whistleRoutes(cases: CaseGateway, list: ListInForceCache, townships: CachedLookup<Township>): Router {
  const router = Router();

  router.post('/', requireRole('township'), async (req, res) => {
    const actor = actorOf(req);
    const raise = parse(RaiseWhistleBody, req.body);
    if (raise.location.townshipId !== actor.orgUnitId) {
      throw new HttpProblem(403, 'Forbidden', `a township raises whistles for itself only (token: ${actor.orgUnitId}) / 只能为本乡镇吹哨`);
    }
    const township = await townships.get(raise.location.townshipId);
    if (!township || township.retired) throw unprocessable('location.townshipId', `no township ${raise.location.townshipId}`);
    if (raise.location.gridId && !township.grids.some((g) => g.id === raise.location.gridId)) {
      throw unprocessable('location.gridId', `grid ${raise.location.gridId} is not in ${township.name.zh} / 网格不属于该乡镇`);
    }
    const routing = route(raise, { ...(await list.inForce(raise.matterCode)), calendarVersion: CURRENT_CALENDAR_VERSION });
    if (isRefusal(routing)) throw unprocessable('departmentIds', routing.reason);

    const caseId = `case-${randomUUID()}`;
    const raisedAt = new Date();
    await cases.raise(caseId, raise, actor, raisedAt, routing);
    res.status(201).location(`/api/v1/whistles/${caseId}`).json(openCase(caseId, raise, actor, raisedAt, routing));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    const c = await cases.state(id);
    if (!canSeeCase(c, actorOf(req))) throw new HttpProblem(403, 'Forbidden', `case ${id} is outside your scope / 无权查看`);
    res.json(c);
  });

  router.post('/:id/acknowledge', requireRole('department'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    parse(AcknowledgeBody, req.body ?? {});
    res.json(await cases.acknowledge(id, actorOf(req)));
  });

  return router;
}

function unprocessable(field: string, reason: string): HttpProblem {
  return new HttpProblem(422, 'Unprocessable Content', reason, { errors: [{ field, reason }] });
}
