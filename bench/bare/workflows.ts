/**
 * The baseline: bare Temporal doing what a case's life asks of Temporal, with empty activities —
 * started with some activities, then one Update per user action, each running the activities the
 * case ran for it before answering, and a Query per read. Like a closed case waiting for its
 * re-inspection, it stays open afterwards.
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

/** An action: runs `activities` empty activities in turn, then answers the step count. */
export const bareStep = defineUpdate<number, [number]>('step');
export const bareState = defineQuery<number>('state');

export async function bareCase(activitiesAtStart: number): Promise<number> {
  let steps = 0;
  setHandler(bareState, () => steps);
  setHandler(bareStep, async (activityCount) => {
    for (let i = 0; i < activityCount; i++) await noop('step');
    return ++steps;
  });
  for (let i = 0; i < activitiesAtStart; i++) await noop('start');
  await condition(() => steps < 0 && allHandlersFinished());
  return steps;
}
