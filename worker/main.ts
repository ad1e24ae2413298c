/** Worker process entry point: connect, run until SIGINT/SIGTERM, then drain and exit. */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { connectStore } from '../store/connection';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('worker', config.LOG_LEVEL);
  // the SDK's own chatter (bundle stats, state changes) only when debugging
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'INFO' : 'WARN'),
  });
  const store = await connectStore(config.MONGODB_URI);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    store,
    maxCachedWorkflows: config.WORKFLOW_CACHE_SIZE,
  });
  log.info(
    { taskQueue: config.TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, cachedWorkflows: config.WORKFLOW_CACHE_SIZE },
    'worker running',
  );
  await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
  await connection.close();
  await store.close();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
