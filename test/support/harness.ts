/**
 * One test file's real servers: a Temporal server (the dev server, or the time-skipping test
 * server), a private FerretDB, and the service wired on top. Started before the file's tests,
 * stopped after them. Read the fields inside tests (they are set in beforeAll).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestDatabase, type TestDatabase } from './database';
import { startStack, type Stack, type StackOptions } from './stack';
import { startDevServer, startTimeSkippingServer } from './temporal';

export interface Harness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  stack: Stack;
}

export function useHarness(temporal: 'dev-server' | 'time-skipping', options: StackOptions = {}): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    [harness.env, harness.db] = await Promise.all([
      temporal === 'dev-server' ? startDevServer() : startTimeSkippingServer(),
      startTestDatabase(),
    ]);
    harness.stack = await startStack(harness.env, harness.db, options);
  });
  afterAll(async () => {
    await harness.stack?.stop();
    await Promise.all([harness.env?.teardown(), harness.db?.stop()]);
  });
  return harness;
}
