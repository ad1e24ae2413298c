/** Builds the worker that runs case workflows and their activities on one task queue. */
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities } from '../activities';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  store: Connection;
  /** case workflows kept in memory between tasks (config WORKFLOW_CACHE_SIZE); the SDK's default when absent */
  maxCachedWorkflows?: number;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, store, maxCachedWorkflows } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(store),
  });
}
