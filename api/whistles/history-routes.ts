/** The audit timeline of a case and the check of its hash chain, for whoever may see the case. */
import { Router } from 'express';
import { canSeeCase } from '../../domain/access';
import { caseHistory, type AuditEventModel } from '../../store/audit-events';
import type { ChainVerifier } from '../audit/chain-verifier';
import { actorOf } from '../http/authenticate';
import { sendCsv } from '../http/csv-export';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import type { CaseGateway } from './case-gateway';
import { CaseIdParam } from './schemas';

export function historyRoutes(cases: CaseGateway, events: AuditEventModel, verifier: ChainVerifier): Router {
  const router = Router();

  /** The case must exist and be in the caller's scope before its history is read. */
  async function mayRead(id: string, actor: ReturnType<typeof actorOf>) {
    const c = await cases.state(id);
    if (!canSeeCase(c, actor)) throw new HttpProblem(403, 'Forbidden', `case ${id} is outside your scope / 无权查看`);
  }

  router.get('/:id/history', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    await mayRead(id, actorOf(req));
    res.json({ caseId: id, events: await caseHistory(events, id) });
  });

  // the timeline as a spreadsheet (UTF-8 with BOM): one row per event, its data as JSON
  router.get('/:id/history/export', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    await mayRead(id, actorOf(req));
    const rows = (await caseHistory(events, id)).map((e) => [
      e.seq,
      e.type,
      e.at,
      e.actor.accountId,
      e.actor.role,
      e.data,
      e.prevHash,
      e.hash,
    ]);
    sendCsv(res, `${id}-history.csv`, ['seq', 'type', 'at', 'accountId', 'role', 'data', 'prevHash', 'hash'], rows);
  });

  router.get('/:id/history/verify', async (req, res) => {
    const { id } = parse(CaseIdParam, req.params);
    await mayRead(id, actorOf(req));
    const { history: _history, ...verdict } = await verifier.verify(id);
    res.json(verdict);
  });

  return router;
}
