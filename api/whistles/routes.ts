/** HTTP → case workflow: validate, check role and scope, then start / update / query. Nothing else. */
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { readClocks } from '../../domain/clocks';
import { actorOf, requireRole } from '../http/authenticate';
import { idempotencyKey } from '../http/idempotency';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import type { WhistleIntake } from './intake';
import type { UpdateDefinition } from '@temporalio/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { ROLES, type Role } from '../../domain/identity';
import { mergeTarget } from '../../domain/withdrawal';
import {
  arbitrateUpdate,
  completeStepUpdate,
  decideSuspensionUpdate,
  declineUpdate,
  evaluateUpdate,
  mergeUpdate,
  planUpdate,
  progressUpdate,
  reinspectUpdate,
  resolveUpdate,
  resumeUpdate,
  suspendUpdate,
  verifyUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import { CompleteStepBody, PlanBody, StepKeyParam } from './plan-schemas';
import {
  AcknowledgeBody,
  ArbitrationBody,
  CaseIdParam,
  ClassifyBody,
  DeclineBody,
  EvaluateBody,
  MergeBody,
  ProgressBody,
  RaiseWhistleBody,
  ReinspectionBody,
  ResolveBody,
  ResumeBody,
  SuspendBody,
  SuspensionDecisionBody,
  VerifyBody,
  WithdrawBody,
} from './schemas';
import type { WhistleCase } from '../../domain/case/shape';

export function whistleRoutes(cases: CaseGateway, intake: WhistleIntake): Router {
  const router = Router();

  router.post('/', requireRole('township', 'department'), async (req, res) => {
    const { case: c, created } = await intake.raise(
      actorOf(req),
      parse(RaiseWhistleBody, req.body),
      idempotencyKey(req),
    );
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
    res.json({ ...c, clocksNow: readClocks(c, new Date()) });
  });

  // a called party: a department, or the township on a reverse whistle (the workflow tells which)
  router.post('/:id/acknowledge', requireRole('department', 'township'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    parse(AcknowledgeBody, req.body ?? {});
    res.json(await cases.acknowledge(id, actorOf(req)));
  });

  router.post('/:id/on-site', requireRole('department', 'township'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    parse(AcknowledgeBody, req.body ?? {});
    res.json(await cases.arrive(id, actorOf(req)));
  });

  router.post('/:id/classify', requireRole('dispatcher'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json(await intake.classify(actorOf(req), id, parse(ClassifyBody, req.body)));
  });

  /** An action whose rules (who, when) are the workflow validator's alone: 403, 409 or 422 from there. */
  const act = <B extends z.ZodType, C>(
    path: string,
    roles: readonly Role[],
    schema: B,
    update: UpdateDefinition<WhistleCase, [C]>,
    command: (body: z.output<B>, req: Request) => Omit<C, 'actor'>,
  ) =>
    router.post(path, requireRole(...roles), async (req, res) => {
      const { id } = parse(CaseIdParam, { id: req.params.id });
      res.json(
        await cases.act(id, update, { actor: actorOf(req), ...command(parse(schema, req.body ?? {}), req) } as C),
      );
    });
  const as = <T>(body: T) => body;

  act('/:id/progress', ROLES, ProgressBody, progressUpdate, as);
  act('/:id/resolve', ['department', 'township'], ResolveBody, resolveUpdate, as);
  act('/:id/evaluate', ['township', 'department'], EvaluateBody, evaluateUpdate, as);
  act('/:id/verify', ['township', 'department'], VerifyBody, verifyUpdate, as);
  act('/:id/decline', ['department'], DeclineBody, declineUpdate, as);
  act('/:id/arbitration', ['supervisor'], ArbitrationBody, arbitrateUpdate, as);
  act('/:id/suspend', ['department', 'township'], SuspendBody, suspendUpdate, as);
  act('/:id/suspension/approve', ['supervisor'], SuspensionDecisionBody, decideSuspensionUpdate, as);
  act('/:id/resume', ['department', 'township', 'supervisor'], ResumeBody, resumeUpdate, as);
  act('/:id/plan', ['department'], PlanBody, planUpdate, as);
  act('/:id/steps/:key/complete', ['department', 'township'], CompleteStepBody, completeStepUpdate, (body, req) => ({
    ...body,
    key: parse(StepKeyParam, req.params).key,
  }));
  act('/:id/withdraw', ['township', 'department'], WithdrawBody, withdrawUpdate, as);
  act('/:id/reinspection', ['township', 'department'], ReinspectionBody, reinspectUpdate, as);

  // the duplicate learns what it merges into from that case itself; the workflow rules on both
  router.post('/:id/merge', requireRole('dispatcher'), async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    const { intoCaseId } = parse(MergeBody, req.body);
    const into = await cases.state(intoCaseId).catch((err: unknown) => {
      throw err instanceof HttpProblem && err.status === 404
        ? new HttpProblem(422, 'Unprocessable Content', `no case ${intoCaseId} to merge into / 目标案件不存在`, {
            errors: [{ field: 'intoCaseId', reason: 'no such case' }],
          })
        : err;
    });
    res.json(await cases.act(id, mergeUpdate, { actor: actorOf(req), into: mergeTarget(into) }));
  });

  return router;
}
