/**
 * The service under test, wired as in production: a real worker on a real Temporal server, the
 * express app on a real port, the real database. Callers own the Temporal env and the database.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import type { Actor } from '../../domain/identity';
import { createLogger, type Logger } from '../../platform/logger';
import { signToken } from '../../platform/tokens';
import { ensureDashboard } from '../../dev/dashboard';
import { loadDemoCounty } from '../../dev/demo-county/load';
import { createWorker } from '../../worker/worker';
import type { TestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

export interface Stack {
  baseUrl: string;
  taskQueue: string;
  worker: Worker;
  token(actor: Actor): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  worker?: boolean;
  rateLimitPerMinute?: number;
  /** the API's logger (silent by default), e.g. one writing to a stream the test reads */
  logger?: Logger;
  /** serve the web dashboard at `/` (built first if its sources changed) */
  dashboard?: boolean;

  /** the API's clock (default: the wall clock), e.g. one the test pins to the test server's time */
  now?: () => Date;
}

export async function startStack(
  env: TestWorkflowEnvironment,
  db: TestDatabase,
  options: StackOptions = {},
): Promise<Stack> {
  const taskQueue = `test-${randomUUID()}`;
  await loadDemoCounty(db.connection);
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    store: db.connection,
  });
  const running = options.worker === false ? undefined : worker.run();
  // no caching: tests change accounts and the list and expect the next request to see it
  const app = createApp({
    temporal: env.client,
    taskQueue,
    store: db.connection,
    jwtSecret: TEST_JWT_SECRET,
    logger: options.logger ?? createLogger('api-test', 'silent'),
    cacheMs: 1,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    ...(options.dashboard ? { dashboardDir: await ensureDashboard() } : {}),

    ...(options.now ? { now: options.now } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    taskQueue,
    worker,
    token: (actor) => signToken(TEST_JWT_SECRET, actor),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      if (running) {
        worker.shutdown();
        await running;
      }
    },
  };
}
