/** Cases on the time-skipping server: raised at the server's own time, and time skipped to an instant. */
import { randomUUID } from 'node:crypto';
import { CaseGateway } from '../../api/whistles/case-gateway';
import { illegalConstruction, routingFor, township } from './fixtures';
import type { Harness } from './harness';

export function skippingTime(harness: Harness) {
  const env = () => harness.env;
  const cases = () => new CaseGateway(harness.env.client, harness.stack.taskQueue);

  /** Raises a case at the test server's current time, as the API does at the wall-clock time. */
  async function raise(urgency: 'urgent' | 'normal'): Promise<{ caseId: string; raisedAt: number }> {
    const caseId = `case-${randomUUID()}`;
    const raisedAt = await env().currentTimeMs();
    const whistle = illegalConstruction({ urgency });
    await cases().raise(caseId, whistle, township, new Date(raisedAt), routingFor(whistle), 'test');
    return { caseId, raisedAt };
  }

  /** Time only moves forward on the test server: skip to an instant. */
  async function skipTo(at: number): Promise<void> {
    const now = await env().currentTimeMs();
    if (at < now)
      throw new Error(
        `${new Date(at).toISOString()} has passed (now ${new Date(now).toISOString()}): move the test's dates into a year the working calendar covers`,
      );
    await env().sleep(at - now);
  }

  return { env, cases, raise, skipTo };
}
