/**
 * `npm run bench`: a case's whole life through the HTTP API with concurrent simulated users, and
 * bare Temporal doing the same Updates, activities and Queries with empty bodies, in one run on one
 * stack (each part its own process, measured from /proc). It only measures; nothing here asserts a
 * timing. Modes (one a run):
 *   npm run bench                                   whole lifecycle, 200 cases at concurrency 10
 *   npm run bench -- --cases 300 --concurrency 10
 *   npm run bench -- --lateness                     drill SLA profile: warnings and escalations, late by how much
 *   npm run bench -- --scale 100000                 100,000 stored cases + 10,000 live workflows against empty
 *   npm run bench -- --cpu-prof                     also writes .cpuprofile files of the worker and the API
 * Each run writes bench/results/<mode>.json and <mode>.md (the last run of each mode).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadDemoCounty } from '../dev/demo-county/load';
import { ROOT } from '../dev/tools/paths';
import { calendarByVersion, CURRENT_CALENDAR_VERSION } from '../domain/calendars';
import { milestones, startClock, type ClockName } from '../domain/duty-clock';
import { DRILL_PROFILE } from '../domain/sla';
import { auditEventModel } from '../store/audit-events';
import { connectStore } from '../store/connection';
import { collectLateness } from './lateness';
import { bareLife, demoTokens, SHARES, updatesOf, WhistleUsers } from './lifecycle';
import { lifecycleReport, latenessReport, machine, writeResults } from './report';
import { runScale } from './scale';
import { startBenchStack, type BenchStack } from './stack';
import { phase } from './phase';
import { runPool, StepTimer, summarise } from './stats';

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

/** Activities the whistle cases ran per start-or-Update, from their histories: what the baseline runs too. */
async function activitiesPerStep(client: Client, cases: { caseId: string; i: number }[]): Promise<number> {
  let activities = 0;
  let steps = 0;
  for (const { caseId, i } of cases) {
    const history = await client.workflow.getHandle(caseId).fetchHistory();
    activities += history.events!.filter((e) => e.activityTaskScheduledEventAttributes).length;
    steps += updatesOf(i) + 1;
  }
  return activities / steps;
}

async function lifecycle(stack: BenchStack, client: Client, users: WhistleUsers, n: number, c: number) {
  say(`warming up: 20 cases each way`);
  const warm: { caseId: string; i: number }[] = [];
  await phase(stack, 20, c, async (t, i) => warm.push({ caseId: await users.live(t, i), i }));
  await new Promise((r) => setTimeout(r, 2000)); // the last notifications delivered
  const perStep = await activitiesPerStep(client, warm);
  say(`the whistle cases ran ${perStep.toFixed(2)} activities per start or Update; the baseline runs as many`);
  await phase(stack, 20, c, (t, i) => bareLife(client, t, i, perStep));
  say(`${n} cases at concurrency ${c}, bare Temporal first`);
  const bare = await phase(stack, n, c, (t, i) => bareLife(client, t, i, perStep));
  users.retried = 0;
  const whistle = await phase(stack, n, c, (t, i) => users.live(t, i));
  return {
    cases: n,
    concurrency: c,
    shares: { viaDesk: `1 in ${SHARES.desk}`, sentBackOnce: `1 in ${SHARES.sendBack}` },
    updatesPerCase: Array.from({ length: n }, (_, i) => updatesOf(i)).reduce((a, b) => a + b, 0) / n,
    activitiesPerStep: Math.round(perStep * 100) / 100,
    evaluateRetries: users.retried,
    whistle,
    bare,
    ratio: Math.round((whistle.casesPerSecond / bare.casesPerSecond) * 100) / 100,
  };
}

/**
 * Raises `n` drill cases nobody acts on while `c` users live whole cases beside them, then waits
 * until every warning, breach and rung of the first `minutes` is due and reads how late each was.
 */
async function lateness(stack: BenchStack, users: WhistleUsers, n: number, c: number, minutes: number) {
  const timer = new StepTimer();
  const raised: { caseId: string; raisedAt: string }[] = [];
  say(`raising ${n} drill cases nobody acts on, with ${c} users living whole cases beside them`);
  let raising = true;
  const load = (async () => {
    let i = 0;
    while (raising) await runPool(c, c, () => users.live(timer, i++).then(() => {}));
  })();
  await runPool(n, Math.max(1, Math.floor(c / 2)), async (i) => {
    const caseId = await users.raiseOnly(timer, i, `演练案件 / drill case ${i}`);
    raised.push({ caseId, raisedAt: new Date().toISOString() });
  });
  const lastRaise = Date.now();
  const cutOff = lastRaise + minutes * 60_000;
  say(`waiting ${minutes} min for every milestone due until then, under the same load`);
  await new Promise((r) => setTimeout(r, cutOff - Date.now() + 15_000));
  raising = false;
  await load;

  const calendar = calendarByVersion(CURRENT_CALENDAR_VERSION);
  const store = await connectStore(stack.mongoUri);
  const events = auditEventModel(store);
  const cases = await Promise.all(raised.map(async ({ caseId }) => (await events.findById(`${caseId}:1`).lean())!));
  // the milestones the domain schedules for each case's clocks (both duties; the lead's resolve clock)
  const expectedDue = cases
    .flatMap((e) => {
      const clocks: ClockName[][] = [
        ['acknowledge', 'onSite', 'resolve'],
        ['acknowledge', 'onSite'],
      ];
      return clocks.flatMap((names) =>
        names.flatMap((name) =>
          milestones(
            startClock(DRILL_PROFILE[name], new Date(e.at), calendar),
            DRILL_PROFILE[name],
            DRILL_PROFILE,
            calendar,
          ),
        ),
      );
    })
    .filter((m) => m.at.getTime() <= cutOff).length;
  const result = await collectLateness(
    events,
    raised.map((r) => r.caseId),
    cutOff,
    expectedDue,
  );
  await store.close();
  return {
    drillCases: n,
    concurrency: c,
    minutes,
    profile: DRILL_PROFILE,
    lateness: result,
    loadSteps: Object.fromEntries([...timer.samples].map(([k, v]) => [k, summarise(v)])),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: process.env.BENCH_CASES ?? '200' },
      concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '10' },
      lateness: { type: 'boolean', default: false },
      'drill-cases': { type: 'string', default: '100' },
      minutes: { type: 'string', default: '5' },
      scale: { type: 'string' },
      live: { type: 'string', default: '10000' },
      'cpu-prof': { type: 'boolean', default: false },
      label: { type: 'string' },
    },
  });
  const [n, c] = [Number(values.cases), Number(values.concurrency)];
  if (!(n > 0 && c > 0)) throw new Error('--cases and --concurrency take positive numbers');
  const mode = values.scale ? 'scale' : values.lateness ? 'lateness' : 'lifecycle';
  const name = values.label ? `${mode}-${values.label}` : mode;
  const jwtSecret = randomUUID() + randomUUID();
  const stack = await startBenchStack({
    jwtSecret,
    ...(values['cpu-prof'] ? { cpuProfileDir: join(ROOT, 'bench', 'results', 'profiles', name) } : {}),
    ...(mode === 'lateness' ? { env: { SLA_DRILL: 'on' } } : {}),
  });
  try {
    const store = await connectStore(stack.mongoUri);
    await loadDemoCounty(store);
    await store.close();
    const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    const users = new WhistleUsers(stack.apiUrl, await demoTokens(jwtSecret));
    const at = new Date().toISOString();
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const head = { at, machine: machine(), mode, commit };
    if (mode === 'lifecycle') {
      const result = { ...head, ...(await lifecycle(stack, client, users, n, c)) };
      writeResults(name, result, lifecycleReport(result));
    } else if (mode === 'lateness') {
      const result = {
        ...head,
        ...(await lateness(stack, users, Number(values['drill-cases']), c, Number(values.minutes))),
      };
      writeResults(name, result, latenessReport(result));
    } else {
      await runScale({ stack, client, users, name, head, cases: Number(values.scale), live: Number(values.live), c });
    }
    await client.connection.close();
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
