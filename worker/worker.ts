/** Builds the worker that runs case workflows and their activities on one task queue. */
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities } from '../activities';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  store: Connection;
}

export async function createWorker({ connection, namespace, taskQueue, store }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(store),
  });
}
