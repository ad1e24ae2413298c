/**
 * `npm run bench -- --scale 100000`: the same measurements on the empty system and then with
 * 100,000 stored cases (bench/fill.ts) and 10,000 live workflows with armed timers (started on the
 * normal profile, whose clocks run for hours and days), in one run: one case's read and write, a
 * list page per filter, the overdue count and list, new-case throughput, worker and API memory.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ROLLUP_SCHEDULE_ID } from '../api/audit/anchor-schedule';
import { CaseGateway } from '../api/whistles/case-gateway';
import { demoAccount } from '../dev/demo-county/load';
import { CURRENT_CALENDAR_VERSION } from '../domain/calendars';
import type { Actor } from '../domain/identity';
import { route, type Routing } from '../domain/routing';
import { loadConfig } from '../platform/config';
import { caseProjectionModel } from '../store/case-projections';
import { connectStore } from '../store/connection';
import { ResponsibilityList } from '../store/responsibility-list';
import { fill, type FillReport } from './fill';
import { raiseBody, type Tokens, type WhistleUsers } from './lifecycle';
import { memoryNow, round1 } from './probe';
import { header, type machine, target, writeResults } from './report';
import { TASK_QUEUE, type BenchStack } from './stack';
import { runPool, StepTimer, summarise, type Summary } from './stats';

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

/** GET requests the scale mode times: who asks, and what. */
interface Read {
  name: string;
  who: keyof Tokens;
  path: string;
  /** the issue's bound for its p95 (list pages and statistics: 200 ms) */
  p95Bound?: number;
}

const LIST_PAGES: Read[] = [
  {
    name: 'list page by township',
    who: 'supervisor',
    path: '/whistles?townshipId=tw-nanpuxi&pageSize=20',
    p95Bound: 200,
  },
  {
    name: 'list page by department',
    who: 'supervisor',
    path: '/whistles?departmentId=dept-enforcement&pageSize=20',
    p95Bound: 200,
  },
  { name: 'list page by status', who: 'supervisor', path: '/whistles?status=in_progress&pageSize=20', p95Bound: 200 },
  { name: 'list page, overdue', who: 'supervisor', path: '/whistles?overdue=true&pageSize=20', p95Bound: 200 },
  { name: 'the overdue count', who: 'supervisor', path: '/whistles?overdue=true&pageSize=1', p95Bound: 200 },
  { name: "a department's own list", who: 'lead', path: '/whistles?pageSize=20', p95Bound: 200 },
  { name: "the overdue list (a department's scope)", who: 'lead', path: '/overdue', p95Bound: 200 },
];

/** The supervisor's statistics and rankings (merged from branch `stats`): the last full month, and the year to it. */
const lastMonth = (() => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
})();
const year = `from=${lastMonth.slice(0, 4)}-01-01&to=${lastMonth}-28`;
const STATISTICS: Read[] = [
  { name: 'statistics by department, the year', who: 'supervisor', path: `/stats/departments?${year}`, p95Bound: 200 },
  { name: 'statistics by township, the year', who: 'supervisor', path: `/stats/townships?${year}`, p95Bound: 200 },
  { name: 'statistics by matter, the year', who: 'supervisor', path: `/stats/matters?${year}`, p95Bound: 200 },
  { name: 'open cases by township and grid', who: 'supervisor', path: '/stats/open', p95Bound: 200 },
  {
    name: "departments' ranking, a month",
    who: 'supervisor',
    path: `/rankings/departments?month=${lastMonth}`,
    p95Bound: 200,
  },
  {
    name: "townships' ranking, a month",
    who: 'supervisor',
    path: `/rankings/townships?month=${lastMonth}`,
    p95Bound: 200,
  },
];

const SAMPLES = 30;
const NEW_CASES = 100;

interface Measured {
  newCasesPerSecond: number;
  steps: Record<string, Summary>;
  listTotals: Record<string, number | undefined>;
  memoryMiB: Record<string, number>;
}

async function measure(stack: BenchStack, users: WhistleUsers, c: number, label: string): Promise<Measured> {
  say(`${label}: ${NEW_CASES} new cases, then one case's read and write, then each list ${SAMPLES} times`);
  const t = new StepTimer();
  const ids: string[] = [];
  const start = performance.now();
  await runPool(NEW_CASES, c, async (i) => {
    ids.push(await users.raiseOnly(t, i, `规模基准 / scale bench ${label} ${i}`));
  });
  const newCasesPerSecond = round1(NEW_CASES / ((performance.now() - start) / 1000));
  await runPool(ids.length, c, async (i) => {
    await t.time('GET /whistles/{id} (one case)', () => users.api('GET', `/whistles/${ids[i]}`, 'township'));
  });
  await runPool(ids.length, c, async (i) => {
    await t.time('POST /whistles/{id}/acknowledge (one case)', () =>
      users.api('POST', `/whistles/${ids[i]}/acknowledge`, 'lead'),
    );
  });
  const listTotals: Record<string, number | undefined> = {};
  for (const read of [...LIST_PAGES, ...STATISTICS])
    for (let k = 0; k < SAMPLES; k++) {
      const body = (await t.time(read.name, () => users.api('GET', read.path, read.who))) as { total?: number };
      listTotals[read.name] = body.total;
    }
  const steps = Object.fromEntries([...t.samples].map(([k, v]) => [k, summarise(v)]));
  const { api, worker } = memoryNow(stack.processes());
  return { newCasesPerSecond, steps, listTotals, memoryMiB: { api: api!, worker: worker! } };
}

/** `n` live cases started as the API starts them (through its one door to Temporal), `c` at a time; their ids in start order. */
async function startLiveCases(client: Client, n: number, c: number): Promise<{ perSecond: number; ids: string[] }> {
  const gateway = new CaseGateway(client, TASK_QUEUE);
  const started = performance.now();
  const raiser: Actor = { accountId: demoAccount('township', 'tw-nanpuxi'), role: 'township', orgUnitId: 'tw-nanpuxi' };
  const routing = liveRouting!;
  const ids: string[] = [];
  await runPool(n, c, async (i) => {
    const raise = { ...raiseBody(i, `在办案件 / live case ${i}`), matterCode: 'WJ-006' } as never;
    const caseId = `case-live-${randomUUID()}`;
    await gateway.raise(caseId, raise, raiser, new Date(), routing, `live-${i}`, `XILAN-LIVE-${i}`);
    ids.push(caseId);
    if ((i + 1) % 2000 === 0) say(`started ${i + 1} of ${n} live cases`);
  });
  return { perSecond: round1(n / ((performance.now() - started) / 1000)), ids };
}

/**
 * The price of a bounded workflow cache: an Update on a live case the worker has evicted (started
 * first, pushed out by the later ones when there are more live cases than the cache holds) replays
 * its history before it runs; one on a case started last is still cached. One at a time, so the
 * figures are the Update's own.
 */
async function evictionCost(users: WhistleUsers, ids: string[]): Promise<Record<string, Summary>> {
  const t = new StepTimer();
  const sample = (from: string[]) => from.slice(0, Math.min(SAMPLES, Math.floor(from.length / 2)));
  for (const id of sample(ids)) await t.time(EVICTED, () => users.api('POST', `/whistles/${id}/acknowledge`, 'lead'));
  for (const id of sample([...ids].reverse()))
    await t.time(CACHED, () => users.api('POST', `/whistles/${id}/acknowledge`, 'lead'));
  return Object.fromEntries([...t.samples].map(([k, v]) => [k, summarise(v)]));
}
const EVICTED = 'POST acknowledge, a live case started first (evicted when live > cache)';
const CACHED = 'POST acknowledge, a live case started last (cached)';
let liveRouting: Routing | undefined;

export async function runScale(o: {
  stack: BenchStack;
  client: Client;
  users: WhistleUsers;
  name: string;
  head: { at: string; machine: ReturnType<typeof machine>; mode: string };
  cases: number;
  live: number;
  c: number;
}): Promise<void> {
  const store = await connectStore(o.stack.mongoUri);
  const list = new ResponsibilityList(store);
  const matter = (await list.current()).find((m) => m.code === 'WJ-006')!;
  const routed = route(
    { matterCode: 'WJ-006', urgency: 'normal' },
    { listVersion: await list.listVersion(), calendarVersion: CURRENT_CALENDAR_VERSION, matter },
  );
  liveRouting = routed as Routing;

  const empty = await measure(o.stack, o.users, o.c, 'empty system');
  const cases = caseProjectionModel(store);
  say(`filling ${o.cases} cases`);
  // the fill builds the statistics rollups itself: the API's fold must not run meanwhile
  const fold = o.client.schedule.getHandle(ROLLUP_SCHEDULE_ID);
  await fold.pause('the scale fill builds the rollups');
  const filled: FillReport = await fill(store, o.cases, new Date(Date.now() - 24 * 3_600_000), say, {
    ferretDbCopy: { socketDir: o.stack.pgSocketDir, database: o.stack.database },
  });
  await fold.unpause();
  say(`filled in ${filled.seconds} s; starting ${o.live} live workflows`);
  const liveFrom = performance.now();
  const { perSecond: liveStartedPerSecond, ids: liveIds } = await startLiveCases(o.client, o.live, 20);
  // every live case's first batch recorded: its clocks are armed. Asked by `_id`, the live cases not
  // yet seen: counting the whole projection on FerretDB 1.x decodes every case (at 110,000 one count
  // ran for more than ten minutes).
  // The worker takes the cases roughly in the order they started: each round asks from the front,
  // 200 at a time, and stops at the first batch mostly not yet stored (asking all at once, every
  // round, took half the database's time from the worker it waits for).
  let waiting = liveIds;
  while (waiting.length > 0) {
    const stored = new Set<string>();
    for (let from = 0; from < waiting.length; from += 200) {
      const batch = waiting.slice(from, from + 200);
      const before = stored.size;
      await runPool(batch.length, 10, async (i) => {
        if (await cases.exists({ _id: batch[i]! })) stored.add(batch[i]!);
      });
      if (stored.size - before < batch.length / 2) break;
    }
    waiting = waiting.filter((id) => !stored.has(id));
    if (waiting.length === 0) break;
    say(`${o.live - waiting.length} of ${o.live} live cases stored; waiting for the worker`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
  const liveSeconds = round1((performance.now() - liveFrom) / 1000);
  const workerMiBWithLive = memoryNow(o.stack.processes()).worker!;
  const full = await measure(o.stack, o.users, o.c, `${o.cases} cases + ${o.live} live`);
  say('an Update on an evicted live case and on a cached one');
  const eviction = await evictionCost(o.users, liveIds);
  await store.close();

  const result = {
    ...o.head,
    cases: o.cases,
    live: o.live,
    concurrency: o.c,
    filled,
    liveStartedPerSecond,
    liveSeconds,
    workflowCacheSize: loadConfig().WORKFLOW_CACHE_SIZE,
    workerMiBWithLive,
    empty,
    full,
    eviction,
  };
  writeResults(o.name, result, scaleReport(result));
}

function scaleReport(r: {
  at: string;
  machine: ReturnType<typeof machine>;
  cases: number;
  live: number;
  filled: FillReport;
  liveStartedPerSecond: number;
  liveSeconds: number;
  workflowCacheSize: number;
  workerMiBWithLive: number;
  empty: Measured;
  full: Measured;
  eviction: Record<string, Summary>;
}): string[] {
  const line = (cells: (string | number | undefined)[]) => `| ${cells.map((c) => c ?? '-').join(' | ')} |`;
  const p = (s: Summary | undefined) => (s ? `${s.p50} / ${s.p95} / ${s.p99}` : '-');
  const { empty: e, full: f } = r;
  const read = 'GET /whistles/{id} (one case)';
  const write = 'POST /whistles/{id}/acknowledge (one case)';
  const bounded = [...LIST_PAGES, ...STATISTICS].filter((x) => x.p95Bound);
  return [
    ...header(r, `Scale: ${r.cases.toLocaleString('en')} cases and ${r.live.toLocaleString('en')} live workflows`),
    `Filled: ${r.filled.cases} cases (${JSON.stringify(r.filled.byStatus)}, ${r.filled.overdue} overdue), ` +
      `${r.filled.events} audit events, ${r.filled.notificationBatches} notification batches, ${r.filled.documents} ` +
      `documents in all, in ${r.filled.seconds} s (${r.filled.livingSeconds} s living the cases and building their ` +
      `documents, ${r.filled.writingSeconds} s more waiting for the database, ${r.filled.indexSeconds} s building ` +
      `the indexes after the load; ${r.filled.path}); then ${r.live} live workflows started at ` +
      `${r.liveStartedPerSecond}/s through the API's gateway (normal profile: clocks of hours and days armed), ` +
      `every one recorded ${r.liveSeconds} s after the first start. Fill and live workflows: ` +
      `${round1((r.filled.seconds + r.liveSeconds) / 60)} min.`,
    '',
    '',
    line(['ms, p50 / p95 / p99', 'empty system', 'at scale', 'at scale / empty (p50)']),
    line(['---', '---', '---', '---']),
    ...Object.keys(f.steps).map((k) =>
      line([
        `${k}${f.listTotals[k] !== undefined ? ` (total ${e.listTotals[k]} → ${f.listTotals[k]})` : ''}`,
        p(e.steps[k]),
        p(f.steps[k]),
        e.steps[k] ? round1(f.steps[k]!.p50 / e.steps[k].p50) : '-',
      ]),
    ),
    line([
      'new cases/s (raise)',
      e.newCasesPerSecond,
      f.newCasesPerSecond,
      round1(f.newCasesPerSecond / e.newCasesPerSecond),
    ]),
    line(['API memory MiB', e.memoryMiB.api, f.memoryMiB.api, '']),
    line(['worker memory MiB', e.memoryMiB.worker, f.memoryMiB.worker, '']),
    '',
    `The worker keeps at most ${r.workflowCacheSize} case workflows cached (\`WORKFLOW_CACHE_SIZE\`); it held ` +
      `${r.workerMiBWithLive} MiB once the ${r.live} live cases were recorded. An Update on a live case, one at a time:`,
    '',
    line(['ms, p50 / p95 / p99', '']),
    line(['---', '---']),
    ...Object.entries(r.eviction).map(([k, v]) => line([k, p(v)])),
    '',
    'Statistics and rankings: those of branch `stats` (merged), read from its `case_facts` read model.',
    '',
    '## Targets',
    '',
    target("one case's read at scale / empty (p50)", round1(f.steps[read]!.p50 / e.steps[read]!.p50), 2),
    target("one case's write at scale / empty (p50)", round1(f.steps[write]!.p50 / e.steps[write]!.p50), 2),
    ...bounded.map((x) => target(`${x.name} p95 ms`, f.steps[x.name]!.p95, x.p95Bound!)),
    target(
      `minutes to fill ${r.cases} cases and record ${r.live} live workflows (the bench's own bound)`,
      round1((r.filled.seconds + r.liveSeconds) / 60),
      30,
    ),
    target('new-case throughput at scale / empty', round1(f.newCasesPerSecond / e.newCasesPerSecond), 0.8, false),
    target(`worker memory MiB with ${r.live} open cases`, Math.max(r.workerMiBWithLive, f.memoryMiB.worker ?? 0), 1024),
  ];
}
