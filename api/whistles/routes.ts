/** HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else. */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { openCase } from '../../domain/whistle';
import { actorOf, requireRole } from '../http/authenticate';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import { AcknowledgeBody, CaseIdParam, RaiseWhistleBody } from './schemas';

export function whistleRoutes(cases: CaseGateway): Router {
  const router = Router();

  router.post('/', requireRole('township'), async (req, res) => {
    const actor = actorOf(req);
    const raise = parse(RaiseWhistleBody, req.body);
    if (raise.location.townshipId !== actor.orgUnitId) {
      throw new HttpProblem(403, 'Forbidden', `a township raises whistles for itself only (token: ${actor.orgUnitId}) / 只能为本乡镇吹哨`);
    }
    const caseId = `case-${randomUUID()}`;
    const raisedAt = new Date();
    await cases.raise(caseId, raise, actor, raisedAt);
    res.status(201).location(`/api/v1/whistles/${caseId}`).json(openCase(caseId, raise, actor, raisedAt));
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
