/** The baseline's worker process: the bare workflow and its empty activity, nothing else. */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import * as activities from './activities';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: config.TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities,
  });
  await worker.run(); // shuts down gracefully on SIGINT/SIGTERM
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
