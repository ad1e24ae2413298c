/**
 * The Temporal Schedule that anchors every chain head once a day (03:00 Asia/Shanghai), created
 * idempotently when the API starts: a second API, or a restart, finds it there already.
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
