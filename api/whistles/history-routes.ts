/** The audit timeline of a case and the check of its hash chain, for whoever may see the case. */
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { firstBrokenLink } from '../../store/audit-chain';
import { caseHistory, type AuditEventModel } from '../../store/audit-events';
import { actorOf } from '../http/authenticate';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import { CaseIdParam } from './schemas';

export function historyRoutes(cases: CaseGateway, events: AuditEventModel): Router {
  const router = Router();

  /** The case must exist and be in the caller's scope before its history is read. */
  async function visibleHistory(id: string, actor: ReturnType<typeof actorOf>) {
    const c = await cases.state(id);
    if (!canSeeCase(c, actor)) throw new HttpProblem(403, 'Forbidden', `case ${id} is outside your scope / 无权查看`);
    return caseHistory(events, id);
  }

  router.get('/:id/history', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    res.json({ caseId: id, events: await visibleHistory(id, actorOf(req)) });
  });

  router.get('/:id/history/verify', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    const history = await visibleHistory(id, actorOf(req));
    const broken = firstBrokenLink(history);
    res.json(
      broken
        ? { valid: false, events: history.length, brokenAt: broken.seq, reason: broken.reason }
        : { valid: true, events: history.length },
    );
  });

  return router;
}
