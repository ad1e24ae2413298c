/** Builds the worker that runs case workflows and their activities on one task queue. */
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities } from '../activities';
import { caseProjectionModel } from '../store/case-projections';
import { caseListModels, ensureCaseList } from '../store/case-list';

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
  // a deployment from before the lists gets them from the projection, once, before any recording
  await ensureCaseList(caseProjectionModel(store), caseListModels(store));
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(store),
  });
}
