/**
 * The baseline: bare Temporal doing the thin slice's round trips with empty activities —
 * start (one activity), an Update that runs one activity before answering, a Query.
 */
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export const bareAcknowledge = defineUpdate<string, [string]>('acknowledge');
export const bareState = defineQuery<string>('state');

export async function bareCase(departmentId: string): Promise<string> {
  let status = 'reporting';
  setHandler(bareState, () => status);
  setHandler(bareAcknowledge, async (by) => {
    status = 'in_progress';
    await noop(by);
    return status;
  });
  await noop(departmentId);
  // like a case, it stays open after the report (a case waits for its result to be verified), so
  // both sides of the bench are read while their workflows are still running
  await condition(() => status === 'closed' && allHandlersFinished());
  return status;
}
