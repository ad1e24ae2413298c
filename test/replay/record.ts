/**
 * `npm run replay:record`: runs the recorded scenarios on the time-skipping server and saves each
 * case workflow's history under test/replay/histories/. Commit them: the replay test then proves
 * that a change to the workflow code still replays the cases already running in production.
 * Existing histories are never overwritten: they are the cases already running, which every later
 * version of the code must still replay. Add scenarios; never re-record to make a replay pass.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { CaseGateway } from '../../api/whistles/case-gateway';
import type { Routed } from '../../domain/dispatch';
import { classifyUpdate, evaluateUpdate, progressUpdate, resolveUpdate, verifyUpdate } from '../../workflows/messages';
import { ROOT } from '../../dev/tools/paths';
import { startTestDatabase } from '../support/database';
import { dispatcher, enforcement, illegalConstruction, planning, routingFor, township } from '../support/fixtures';
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
    const file = join(dir, `${name}.binpb`);
    const history = await env.client.workflow.getHandle(caseId).fetchHistory();
    // binary protobuf: the SDK's JSON helpers break on this install's nested protobufjs copy
    writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    process.stderr.write(`[replay] recorded ${name} (${history.events?.length} events)\n`);
  };

  /** Runs a scenario only when its history is not recorded yet. */
  const scenario = async (name: string, run: () => Promise<string>) => {
    if (existsSync(join(dir, `${name}.binpb`))) return void process.stderr.write(`[replay] kept ${name} (recorded earlier)\n`);
    await save(name, await run());
  };
  const reportedAndOnSite = async (caseId: string) => {
    for (const dept of [enforcement, planning]) await cases.acknowledge(caseId, dept);
    for (const dept of [enforcement, planning]) await cases.arrive(caseId, dept);
  };

  try {
    // urgent: one department reports at once, the other only after warnings, the breach and two rungs
    // (recorded before resolve/verify existed: the case ended once everyone was on site)
    await scenario('urgent-late-report-then-on-site', async () => {
      const late = await raise('urgent');
      await cases.acknowledge(late, enforcement);
      await env.sleep(61 * MINUTE);
      await cases.acknowledge(late, planning);
      await cases.arrive(late, enforcement);
      await cases.arrive(late, planning);
      await completed(late);
      return late;
    });

    // normal: both report in time, one comes on site; the case is still open when recorded
    await scenario('normal-reported-still-open', async () => {
      const open = await raise('normal');
      await cases.acknowledge(open, enforcement);
      await cases.acknowledge(open, planning);
      await cases.arrive(open, planning);
      return open;
    });

    // no matter: waiting at the dispatch desk
    await scenario('dispatching', () => raise('normal', ''));

    // the loop closed: progress, a result sent back twice (escalates), then accepted
    await scenario('verified-after-two-send-backs', async () => {
      const verified = await raise('urgent');
      await reportedAndOnSite(verified);
      await cases.act(verified, progressUpdate, { actor: township, note: 'evidence fixed', evidence: [] });
      for (const accept of [false, false, true]) {
        await cases.act(verified, resolveUpdate, { actor: enforcement, summary: 'done', evidence: [] });
        await cases.act(verified, verifyUpdate, { actor: township, accept, ...(accept ? {} : { reason: 'not yet' }) });
      }
      await completed(verified);
      return verified;
    });

    // an unclear whistle: the desk overdue, then classified; the departments report
    await scenario('classified-by-desk', async () => {
      const unclear = await raise('urgent', '');
      await env.sleep(20 * MINUTE);
      await cases.act(unclear, classifyUpdate, { actor: dispatcher, routing: routingFor(illegalConstruction({ urgency: 'urgent' })) as Routed });
      for (const dept of [enforcement, planning]) await cases.acknowledge(unclear, dept);
      return unclear;
    });

    // the whole loop to closed: accepted, then rated both ways
    await scenario('closed-after-evaluation', async () => {
      const closing = await raise('urgent');
      await reportedAndOnSite(closing);
      await cases.act(closing, resolveUpdate, { actor: enforcement, summary: 'done', evidence: [] });
      await cases.act(closing, verifyUpdate, { actor: township, accept: true });
      await cases.act(closing, evaluateUpdate, { actor: township, ratings: [enforcement, planning].map((d) => ({ departmentId: d.orgUnitId!, speed: 4, attitude: 5, result: 4 })) });
      for (const dept of [enforcement, planning]) await cases.act(closing, evaluateUpdate, { actor: dept, cooperation: 5 });
      await completed(closing);
      return closing;
    });

    // the township stays silent past its 24 hours: accepted by silence
    await scenario('accepted-by-silence', async () => {
      const silent = await raise('urgent');
      await reportedAndOnSite(silent);
      await cases.act(silent, resolveUpdate, { actor: enforcement, summary: 'done', evidence: [] });
      await env.sleep(25 * 60 * MINUTE);
      await completed(silent);
      return silent;
    });
  } finally {
    await stack.stop();
    await Promise.all([env.teardown(), db.stop()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
