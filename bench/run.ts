/**
 * `npm run bench`: the thin slice (raise → acknowledge → read) through HTTP against the same
 * round trips on bare Temporal (empty activities, straight through the client), in one run, on
 * one dev server. It only measures; nothing here asserts a timing.
 *   npm run bench -- --cases 300 --concurrency 10
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import type { Actor } from '../domain/identity';
import { loadDemoCounty } from '../dev/demo-county/load';
import { mongoUri, startFerretDb } from '../dev/ferretdb';
import { freePort } from '../dev/net';
import { startService, type Service } from '../dev/service';
import { ensureTemporalCli } from '../dev/tools/install';
import { ROOT } from '../dev/tools/paths';
import { createLogger } from '../platform/logger';
import { signToken } from '../platform/tokens';
import { connectStore } from '../store/connection';
import { createWorker } from '../worker/worker';
import * as bareActivities from './bare/activities';
import { bareAcknowledge, bareState } from './bare/workflows';
import { runPool, StepTimer, summarise, type Summary } from './stats';

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const SECRET = randomUUID() + randomUUID();

interface PhaseResult {
  cases: number;
  seconds: number;
  casesPerSecond: number;
  steps: Record<string, Summary>;
  peakRssMiB: Record<string, number>;
  /** CPU time spent per case, by process: where the two cores went */
  cpuMsPerCase: Record<string, number>;
}

/** A server's own children's children …: FerretDB's PostgreSQL and its backends (Linux /proc). */
function descendants(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

/** The servers' child process trees get a line of their own (FerretDB's is PostgreSQL). */
const childrenOf = (s: Service) => (s.name === 'ferretdb' ? 'postgresql' : `${s.name} children`);

/** utime + stime (+ those of reaped children, with `reaped`), in seconds. */
function cpuOf(pid: number, reaped: boolean): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = [11, 12, ...(reaped ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // clock ticks
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by this process and by each server and its children (Linux /proc). */
function cpuSeconds(servers: Service[]): Record<string, number> {
  const own = process.cpuUsage();
  const result: Record<string, number> = { 'service (API + worker)': (own.user + own.system) / 1e6 };
  for (const s of servers) {
    result[s.name] = s.process.pid === undefined ? 0 : cpuOf(s.process.pid, false);
    const tree = descendants(s.process.pid);
    if (tree.length > 0) result[childrenOf(s)] = tree.reduce((sum, pid) => sum + cpuOf(pid, true), 0);
  }
  return result;
}

/** Peak resident memory of this process (API + worker) and of the servers while `fn` runs. */
async function withMemory<T>(servers: Service[], fn: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const peak: Record<string, number> = {};
  const sample = () => {
    const bump = (k: string, bytes: number) => (peak[k] = Math.max(peak[k] ?? 0, Math.round(bytes / 1048576)));
    bump('service (API + worker)', process.memoryUsage().rss);
    for (const s of servers) {
      bump(s.name, rssOf(s.process.pid));
      const tree = descendants(s.process.pid);
      // proportional set size: shared buffers counted once across PostgreSQL's processes
      if (tree.length > 0)
        bump(
          childrenOf(s),
          tree.reduce((sum, pid) => sum + pssOf(pid), 0),
        );
    }
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await fn();
    sample();
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}

function pssOf(pid: number): number {
  try {
    const kb = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function rssOf(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function phase(
  n: number,
  c: number,
  servers: Service[],
  oneCase: (t: StepTimer, i: number) => Promise<void>,
): Promise<PhaseResult> {
  const timer = new StepTimer();
  const start = performance.now();
  const cpuBefore = cpuSeconds(servers);
  const [, peakRssMiB] = await withMemory(servers, () => runPool(n, c, (i) => oneCase(timer, i)));
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuSeconds(servers);
  const cpuMsPerCase = Object.fromEntries(
    Object.keys(cpuAfter).map((k) => [k, Math.round(((cpuAfter[k]! - cpuBefore[k]!) * 1000 * 10) / n) / 10]),
  );
  const steps = Object.fromEntries([...timer.samples].map(([k, v]) => [k, summarise(v)]));
  return {
    cases: n,
    seconds: Math.round(seconds * 100) / 100,
    casesPerSecond: Math.round((n / seconds) * 10) / 10,
    steps,
    peakRssMiB,
    cpuMsPerCase,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: process.env.BENCH_CASES ?? '300' },
      concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '10' },
    },
  });
  const n = Number(values.cases);
  const c = Number(values.concurrency);
  if (!(n > 0 && c > 0)) throw new Error('--cases and --concurrency take positive numbers');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const dataDir = mkdtempSync(join(tmpdir(), 'whistle-bench-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user
  const [temporalPort, dbPort] = [await freePort(), await freePort()];
  say('starting Temporal dev server (in memory) and FerretDB');
  const temporal = await startService(
    'temporal',
    await ensureTemporalCli(),
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', `${temporalPort}`, '--headless', '--log-level', 'error'],
    { port: temporalPort, output: 'ignore' },
  );
  const ferret = await startFerretDb(dbPort, join(dataDir, 'pg'), { output: 'ignore', ephemeral: true });
  const servers = [temporal, ferret];
  // a failed run must not leave its servers behind
  const stopServers = async () => {
    await ferret.stop();
    await temporal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await measure(n, c, temporalPort, dbPort, servers);
  } finally {
    await stopServers();
  }
}

async function measure(n: number, c: number, temporalPort: number, dbPort: number, servers: Service[]): Promise<void> {
  const address = `127.0.0.1:${temporalPort}`;
  const store = await connectStore(mongoUri(dbPort, 'bench'));
  const native = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }) });
  const whistleWorker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue: 'bench-whistle',
    store,
  });
  const bareWorker = await Worker.create({
    connection: native,
    taskQueue: 'bench-bare',
    workflowsPath: require.resolve('./bare/workflows'),
    activities: bareActivities,
  });
  const workers = [whistleWorker.run(), bareWorker.run()];
  await loadDemoCounty(store);
  // the bench is one account at full speed: no rate limit
  const app = createApp({
    temporal: client,
    taskQueue: 'bench-whistle',
    store,
    jwtSecret: SECRET,
    logger: createLogger('bench-api', process.env.BENCH_LOG_LEVEL ?? 'silent'),
    rateLimitPerMinute: 1_000_000,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/whistles`;

  // demo county accounts; WJ-004 calls one department (enforcement leads, planning and agriculture
  // co-operate), so the bench asks for the lead alone: one duty, like the bare baseline
  const township: Actor = { accountId: 'acc-nanpuxi-lead', role: 'township', orgUnitId: 'tw-nanpuxi' };
  const department: Actor = { accountId: 'acc-enforcement-officer', role: 'department', orgUnitId: 'dept-enforcement' };
  const [twToken, deptToken] = await Promise.all([signToken(SECRET, township), signToken(SECRET, department)]);
  const body = JSON.stringify({
    matterCode: 'WJ-004',
    title: '基准案件 / bench case',
    description: 'thin slice',
    urgency: 'normal',
    location: { townshipId: 'tw-nanpuxi', address: 'bench road 1' },
    departmentIds: ['dept-enforcement'],
  });
  const http = async (method: string, url: string, token: string, payload?: string) => {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      body: payload,
    });
    const json = (await res.json()) as { caseId?: string };
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const whistleCase = async (t: StepTimer) => {
    const { caseId } = await t.time('raise', () => http('POST', base, twToken, body));
    await t.time('acknowledge', () => http('POST', `${base}/${caseId}/acknowledge`, deptToken));
    await t.time('read', () => http('GET', `${base}/${caseId}`, deptToken));
  };
  const bareCase = async (t: StepTimer) => {
    const handle = await t.time('raise', () =>
      client.workflow.start('bareCase', {
        taskQueue: 'bench-bare',
        workflowId: `bare-${randomUUID()}`,
        args: ['dept-bench'],
      }),
    );
    await t.time('acknowledge', () => handle.executeUpdate(bareAcknowledge, { args: ['bench-dept'] }));
    await t.time('read', () => handle.query(bareState));
  };

  say(`warming up, then ${n} cases at concurrency ${c} each way`);
  await phase(Math.min(20, n), c, servers, whistleCase);
  await phase(Math.min(20, n), c, servers, bareCase);
  const bare = await phase(n, c, servers, bareCase);
  const whistle = await phase(n, c, servers, whistleCase);

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
  const result = {
    at: new Date().toISOString(),
    machine,
    cases: n,
    concurrency: c,
    whistle,
    bare,
    ratio: { casesPerSecond: Math.round((whistle.casesPerSecond / bare.casesPerSecond) * 100) / 100 },
  };
  report(result);

  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  say(`written bench/results/${file.split('/').pop()}`);

  server.close();
  whistleWorker.shutdown();
  bareWorker.shutdown();
  await Promise.all(workers);
  await native.close();
  await store.close();
}

function report(r: {
  machine: Record<string, unknown>;
  cases: number;
  concurrency: number;
  whistle: PhaseResult;
  bare: PhaseResult;
  ratio: { casesPerSecond: number };
}): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `machine: ${Object.values(r.machine).join(', ')}`,
    `${r.cases} cases, concurrency ${r.concurrency}`,
    '',
    line(['', 'whistle (HTTP → workflow → FerretDB)', 'bare Temporal (client, empty activities)']),
    line(['---', '---', '---']),
    line(['cases/s', r.whistle.casesPerSecond, r.bare.casesPerSecond]),
  ];
  for (const step of ['raise', 'acknowledge', 'read']) {
    const [w, b] = [r.whistle.steps[step]!, r.bare.steps[step]!];
    out.push(line([`${step} p50 / p95 / p99 ms`, `${w.p50} / ${w.p95} / ${w.p99}`, `${b.p50} / ${b.p95} / ${b.p99}`]));
  }
  for (const k of Object.keys(r.whistle.peakRssMiB))
    out.push(line([`peak RSS ${k} MiB`, r.whistle.peakRssMiB[k]!, r.bare.peakRssMiB[k] ?? '-']));
  for (const k of Object.keys(r.whistle.cpuMsPerCase))
    out.push(line([`CPU ms per case, ${k}`, r.whistle.cpuMsPerCase[k]!, r.bare.cpuMsPerCase[k] ?? '-']));
  out.push('', `throughput ratio whistle / bare: ${r.ratio.casesPerSecond}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
