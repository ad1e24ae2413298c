/** HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else. */
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { actorOf, requireRole } from '../http/authenticate';
import { idempotencyKey } from '../http/idempotency';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import type { WhistleIntake } from './intake';
import { AcknowledgeBody, CaseIdParam, RaiseWhistleBody } from './schemas';

export function whistleRoutes(cases: CaseGateway, intake: WhistleIntake): Router {
  const router = Router();

  router.post('/', requireRole('township'), async (req, res) => {
    const { case: c, created } = await intake.raise(actorOf(req), parse(RaiseWhistleBody, req.body), idempotencyKey(req));
    res.status(created ? 201 : 200).location(`/api/v1/whistles/${c.caseId}`).json(c);
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

  router.post('/:id/on-site', requireRole('department'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    parse(AcknowledgeBody, req.body ?? {});
    res.json(await cases.arrive(id, actorOf(req)));
  });

  return router;
}
