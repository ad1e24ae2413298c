/** Real Temporal servers for tests, from the project's own installs (never the SDK's downloads). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, ensureTestServer } from '../../dev/tools/install';

/** The Temporal CLI dev server: full server semantics, real time. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  const path = await ensureTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, log: { format: 'pretty', level: 'error' } },
  });
}

/** The time-skipping test server: SLA timers of hours and days pass in moments. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const path = await ensureTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}
