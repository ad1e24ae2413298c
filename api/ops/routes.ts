/** Health for orchestrators: /healthz (the process), /readyz (Temporal and the database), /metrics. */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';

export function opsRoutes(temporal: Client, store: Connection, metrics: Registry): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [t, db] = await Promise.allSettled([temporal.workflowService.getSystemInfo({}), store.db!.admin().ping()]);
    const checks = {
      temporal: t.status === 'fulfilled' ? 'ok' : String(t.reason),
      database: db.status === 'fulfilled' ? 'ok' : String(db.reason),
    };
    const ready = t.status === 'fulfilled' && db.status === 'fulfilled';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  return router;
}
