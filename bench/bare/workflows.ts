/**
 * The baseline: bare Temporal doing the thin slice's round trips with empty activities —
 * start (one activity), an Update that runs one activity before answering, a Query.
 */
import { allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
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
  await condition(() => status === 'in_progress' && allHandlersFinished());
  return status;
}
