/**
 * `npm run replay:record`: runs the recorded scenarios on the time-skipping server and saves each
 * case workflow's history under test/replay/histories/. Commit them: the replay test then proves
 * that a change to the workflow code still replays the cases already running in production.
 * Record anew only for a deliberate, patched() change — never to make the replay test pass.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { CaseGateway } from '../../api/whistles/case-gateway';
import { ROOT } from '../../dev/tools/paths';
import { startTestDatabase } from '../support/database';
import { enforcement, illegalConstruction, planning, routingFor, township } from '../support/fixtures';
import { startStack } from '../support/stack';
import { startTimeSkippingServer } from '../support/temporal';

const MINUTE = 60_000;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const [env, db] = await Promise.all([startTimeSkippingServer(), startTestDatabase()]);
  const stack = await startStack(env, db);
  const cases = new CaseGateway(env.client, stack.taskQueue);
  const dir = join(ROOT, 'test', 'replay', 'histories');
  mkdirSync(dir, { recursive: true });

  const raise = async (urgency: 'urgent' | 'normal', matterCode?: string) => {
    const caseId = `case-${randomUUID()}`;
    const whistle = illegalConstruction({ urgency, ...(matterCode === undefined ? {} : { matterCode }) });
    const routing = matterCode === '' ? routingFor({ ...whistle, matterCode: undefined }) : routingFor(whistle);
    await cases.raise(caseId, whistle, township, new Date(await env.currentTimeMs()), routing, 'record');
    return caseId;
  };
  // polls rather than awaiting result(): waiting for a result lets the test server skip time far ahead
  const completed = async (caseId: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await env.client.workflow.getHandle(caseId).describe()).status.name === 'COMPLETED') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${caseId} did not complete`);
  };
  const save = async (name: string, caseId: string) => {
    const history = await env.client.workflow.getHandle(caseId).fetchHistory();
    // binary protobuf: the SDK's JSON helpers break on this install's nested protobufjs copy
    writeFileSync(join(dir, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
    process.stderr.write(`[replay] recorded ${name} (${history.events?.length} events)\n`);
  };

  try {
    // urgent: one department reports at once, the other only after warnings, the breach and two rungs
    const late = await raise('urgent');
    await cases.acknowledge(late, enforcement);
    await env.sleep(61 * MINUTE);
    await cases.acknowledge(late, planning);
    await cases.arrive(late, enforcement);
    await cases.arrive(late, planning);
    await completed(late);
    await save('urgent-late-report-then-on-site', late);

    // normal: both report in time, one comes on site; the case is still open when recorded
    const open = await raise('normal');
    await cases.acknowledge(open, enforcement);
    await cases.acknowledge(open, planning);
    await cases.arrive(open, planning);
    await save('normal-reported-still-open', open);

    // no matter: waiting at the dispatch desk
    await save('dispatching', await raise('normal', ''));
  } finally {
    await stack.stop();
    await Promise.all([env.teardown(), db.stop()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
