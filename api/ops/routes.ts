/**
 * Health for orchestrators: /healthz (the process), /readyz (Temporal and the database; the
 * working calendar's coverage as a detail, whose warning does not make the service unready), /metrics.
 */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import type { Coverage } from '../../domain/calendar/versions';

export function opsRoutes(
  temporal: Client,
  store: Connection,
  metrics: Registry,
  calendar: () => Promise<Coverage>,
): Router {
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
    const coverage = ready ? await calendar().catch(() => undefined) : undefined;
    const calendarDetail = coverage && {
      daysLeft: coverage.daysLeft,
      ...(coverage.warning ? { warning: coverage.warning } : {}),
    };
    const details = calendarDetail ? { details: { calendar: calendarDetail } } : {};
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks, ...details });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  return router;
}
