/** API process entry point: connect to Temporal, serve HTTP, stop taking requests on SIGTERM. */
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireJwtSecret } from '../platform/config';
import { createLogger } from '../platform/logger';
import { connectStore } from '../store/connection';
import { createApp } from './app';
import { ensureAnchorSchedule, ensureRollupSchedule } from './audit/anchor-schedule';
import { endOpenStreams } from './queues/overdue-stream';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const store = await connectStore(config.MONGODB_URI);
  const app = createApp({
    temporal,
    taskQueue: config.TASK_QUEUE,
    store,
    jwtSecret: requireJwtSecret(config),
    logger,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    countyCode: config.COUNTY_CODE,
    deskHours: config.DESK_HOURS,
    open311PublicView: config.OPEN311_PUBLIC_VIEW === 'on',
    dashboardDir: config.DASHBOARD_DIR ?? join(__dirname, '..', '.web-dist'),

    drillSla: config.SLA_DRILL === 'on',
  });
  // the daily anchor of every chain head; a second API (or a restart) finds it there already
  void ensureAnchorSchedule(temporal, config.TASK_QUEUE).catch((err: unknown) =>
    logger.error({ err }, 'could not create the audit anchor schedule'),
  );
  // the statistics' rollups, folded every minute by one writer (the first run builds them)
  void ensureRollupSchedule(temporal, config.TASK_QUEUE).catch((err: unknown) =>
    logger.error({ err }, 'could not create the statistics rollup schedule'),
  );
  if (config.SLA_DRILL === 'on') logger.warn('SLA_DRILL=on: every new whistle runs on the drill profile (演练)');
  const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));

  const stop = () => {
    logger.info('api stopping: finishing requests in flight');
    server.close(() => {
      void Promise.allSettled([connection.close(), store.close()]).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    endOpenStreams(); // an overdue stream never finishes by itself
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
