/**
 * GET /api/v1/audit/verify (supervisor): every case's audit chain checked against its workflow's
 * record, and the latest anchor against the database, streamed as NDJSON so a long run shows its
 * progress: a `start` line (how many cases), one `case` line per case as it is checked (or `error`
 * when it could not be), an `anchor` line, then a `summary` line.
 */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { AnchorModel } from '../../store/audit-anchors';
import type { AuditEventModel } from '../../store/audit-events';
import { requireRole } from '../http/authenticate';
import { AnchorCheck } from './anchors';
import type { ChainVerifier } from './chain-verifier';

/** Cases checked at once: each is a Query to its workflow and one read of its events. */
const CONCURRENCY = 4;

export function auditRoutes(deps: {
  client: Client;
  verifier: ChainVerifier;
  anchors: AnchorModel;
  events: AuditEventModel;
}): Router {
  const router = Router();

  router.get('/verify', requireRole('supervisor'), async (req, res) => {
    // the cases Temporal knows (not the database's list of them, which a writer could thin out)
    const ids = new Set<string>();
    for await (const run of deps.client.workflow.list({ query: "WorkflowType = 'whistleCase'" }))
      ids.add(run.workflowId);
    const anchor = await AnchorCheck.latest(deps.client, deps.anchors);

    res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    let gone = false;
    req.on('close', () => (gone = true));
    const line = (value: object) => res.write(`${JSON.stringify(value)}\n`);
    line({ kind: 'start', cases: ids.size });

    const tally = { valid: 0, invalid: 0, failed: 0 };
    const queue = [...ids].sort();
    const worker = async () => {
      for (let caseId = queue.shift(); caseId !== undefined && !gone; caseId = queue.shift()) {
        try {
          const { history, ...verdict } = await deps.verifier.verify(caseId);
          anchor.observe(caseId, history);
          tally[verdict.valid ? 'valid' : 'invalid']++;
          line({ kind: 'case', caseId, ...verdict });
        } catch (err) {
          tally.failed++;
          line({ kind: 'error', caseId, reason: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (gone) return void res.end();
    const anchored = await anchor.finish(deps.events);
    line({ kind: 'anchor', ...anchored });
    line({ kind: 'summary', cases: ids.size, ...tally, ...(anchored.found ? { anchorValid: anchored.valid } : {}) });
    res.end();
  });

  return router;
}
