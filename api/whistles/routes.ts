/** HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else. */
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { actorOf, requireRole } from '../http/authenticate';
import { idempotencyKey } from '../http/idempotency';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import type { WhistleIntake } from './intake';
import { evaluateUpdate, progressUpdate, resolveUpdate, verifyUpdate } from '../../workflows/messages';
import { AcknowledgeBody, CaseIdParam, ClassifyBody, EvaluateBody, ProgressBody, RaiseWhistleBody, ResolveBody, VerifyBody } from './schemas';

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

  router.post('/:id/classify', requireRole('dispatcher'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json(await intake.classify(actorOf(req), id, parse(ClassifyBody, req.body)));
  });

  // who may do these is decided by the workflow's validators (domain/resolution.ts): 403 or 409
  router.post('/:id/progress', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json(await cases.act(id, progressUpdate, { actor: actorOf(req), ...parse(ProgressBody, req.body) }));
  });

  router.post('/:id/resolve', requireRole('department'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json(await cases.act(id, resolveUpdate, { actor: actorOf(req), ...parse(ResolveBody, req.body) }));
  });

  router.post('/:id/evaluate', requireRole('township', 'department'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json(await cases.act(id, evaluateUpdate, { actor: actorOf(req), ...parse(EvaluateBody, req.body) }));
  });

  router.post('/:id/verify', requireRole('township'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    const { accept, reason } = parse(VerifyBody, req.body);
    res.json(await cases.act(id, verifyUpdate, { actor: actorOf(req), accept, ...(reason ? { reason } : {}) }));
  });

  return router;
}
