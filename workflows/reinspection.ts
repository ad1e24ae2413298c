/**
 * 复查: after the matter's days the township is told the re-inspection is due and answers; silence
 * past the answer limit is no recurrence. Resolves true when a recurrence reopened the case.
 */
import { condition } from '@temporalio/workflow';
import { armed, dueNotice, silentNoRecurrence } from '../domain/reinspection';
import type { LiveCase } from './live-case';

export async function reinspection(live: LiveCase): Promise<boolean> {
  if (!live.state.reinspection) live.move(armed(live.state, new Date()), new Date());
  const answered = () => live.state.reinspection?.answeredAt !== undefined || live.state.status !== 'closed';
  const until = (instant: string) => Math.max(1, Date.parse(instant) - Date.now());
  // a run continued as new after the due date has told the township already
  if (live.state.reinspection!.dueNotifiedAt || !(await condition(answered, until(live.state.reinspection!.dueAt)))) {
    if (!live.state.reinspection!.dueNotifiedAt) live.move(dueNotice(live.state, new Date()), new Date());
    if (!(await condition(answered, until(live.state.reinspection!.answerBy)))) {
      const at = new Date();
      live.move(silentNoRecurrence(live.state, at), at);
    }
  }
  return live.state.status === 'in_progress';
}
