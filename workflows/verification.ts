/** 验收: waits for a reported result and the township's verdict; silence past the limit is acceptance. */
import { condition } from '@temporalio/workflow';
import { silentAcceptance } from '../domain/resolution';
import type { LiveCase } from './live-case';

export async function verification(live: LiveCase): Promise<void> {
  for (;;) {
    // a run continued as new may find the case evaluated and closed already
    await condition(() => ['awaiting_verification', 'evaluating', 'closed'].includes(live.state.status));
    if (live.state.status !== 'awaiting_verification') return;
    const verifyBy = Date.parse(live.state.resolution!.verifyBy);
    const verdict = () => live.state.status !== 'awaiting_verification';
    if (await condition(verdict, Math.max(1, verifyBy - Date.now()))) continue;
    const at = new Date();
    live.move(silentAcceptance(live.state, at), at);
  }
}
