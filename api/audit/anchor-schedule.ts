/**
 * The Temporal Schedules the API creates idempotently when it starts (a second API, or a restart,
 * finds them there already): the anchor of every chain head once a day (03:00 Asia/Shanghai), and
 * the statistics' fold every minute.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';

export const ANCHOR_SCHEDULE_ID = 'audit-anchor';

export async function ensureAnchorSchedule(
  client: Client,
  taskQueue: string,
  scheduleId = ANCHOR_SCHEDULE_ID,
): Promise<ScheduleHandle> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'auditAnchor', workflowId: scheduleId, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  return client.schedule.getHandle(scheduleId);
}

export const ROLLUP_SCHEDULE_ID = 'stats-rollup';

/**
 * The statistics' fold every minute (store/stats-rollups.ts), never two at once: its first run
 * builds the rollups from the facts a deployment already has.
 */
export async function ensureRollupSchedule(client: Client, taskQueue: string): Promise<ScheduleHandle> {
  try {
    await client.schedule.create({
      scheduleId: ROLLUP_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 minute' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'statsRollup',
        workflowId: ROLLUP_SCHEDULE_ID,
        taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  return client.schedule.getHandle(ROLLUP_SCHEDULE_ID);
}
