/**
 * `npm run bench:db`: the local database at growing size. Starts its own FerretDB on a throw-away
 * PostgreSQL cluster, fills the case projections (documents shaped like real ones) and their audit
 * events to each size, and times, through the project's mongoose models: a case read by `_id`, a
 * case written by `_id`, a case's history (equality on `caseId`), and list pages by township and by
 * matter (`searchCases`: indexed equality; FerretDB decodes every match, then sorts and pages in
 * Go), and a month's department statistics from the case facts (one indexed query on `month`, the
 * cases spread over twelve months). Prints a table and writes JSON to bench/results/.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { FERRETDB_PG_DATABASE, mongoUri, postgresBinDir, startFerretDb } from '../dev/ferretdb';
import { freePort } from '../dev/net';
import { openCase } from '../domain/whistle';
import { auditEventModel, caseHistory } from '../store/audit-events';
import { caseProjectionModel } from '../store/case-projections';
import { connectStore } from '../store/connection';
import { searchCases } from '../store/case-search';
import { caseFactsModel, recordsOfMonths } from '../store/case-facts';
import {
  caseFacts,
  departmentRows,
  departmentRowsOf,
  inPeriod,
  matterCountsOf,
  townshipRowsOf,
  type TallyKind,
} from '../domain/stats';
import { rank } from '../domain/ranking';
import { rebuildRollups, rollupModels, rollupTallies } from '../store/stats-rollups';
import { illegalConstruction, routingFor, township } from '../test/support/fixtures';
import { summarise } from './stats';
import { benchLists, type Time } from './db-lists';

const say = (m: string) => process.stderr.write(`[bench:db] ${m}\n`);
const TOWNSHIPS = 20;
/** about the demo county's list (147 matters) */
const MATTERS = 150;
const EVENTS_PER_CASE = 6;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,50000' },
      samples: { type: 'string', default: '300' },
      /** the statistics only: case facts alone, read from the facts and from the rollups */
      stats: { type: 'boolean', default: false },
      /** the lists only: each list shape from the projection and from the lists' read model */
      lists: { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const mode = values.lists ? 'lists' : values.stats ? 'stats' : 'all';
  const samples = Number(values.samples);
  if (!sizes.every((n) => n > 0) || !(samples > 0)) throw new Error('--sizes 1000,50000 --samples 300');

  const dir = mkdtempSync(join(tmpdir(), 'whistle-bench-db-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user
  const socketDir = join(dir, 'socket');
  const port = await freePort();
  say('starting FerretDB on a throw-away PostgreSQL cluster');
  const server = await startFerretDb(port, join(dir, 'pg'), { output: 'ignore', ephemeral: true, socketDir });
  const store = await connectStore(mongoUri(port, 'bench_db'));
  const analyse = () =>
    execFileSync(join(postgresBinDir(), 'psql'), [
      ...['-h', socketDir, '-U', 'postgres', '-d', FERRETDB_PG_DATABASE, '-X', '-q', '-c', 'ANALYZE'],
    ]);
  const time: Time = async (fn, n = samples) => {
    for (let i = 0; i < Math.min(20, n); i++) await fn(); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await fn();
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return summarise(ms);
  };
  try {
    const cases = caseProjectionModel(store);
    const events = auditEventModel(store);
    const facts = caseFactsModel(store);
    const rollups = rollupModels(store);
    await Promise.all([cases.init(), events.init(), facts.init(), rollups.folded.init()]);

    // one real projection as the template of every case
    const raise = illegalConstruction();
    const templateCase = openCase('template', raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
    const projection = (i: number) => ({
      ...templateCase,
      _id: caseId(i),
      caseId: caseId(i),
      lastSeq: EVENTS_PER_CASE,
      townshipId: `tw-${i % TOWNSHIPS}`,
      departmentIds: templateCase.duties.map((d) => d.departmentId),
      matterCode: `M-${i % MATTERS}`,
      disputeCount: 0,
      reassignCount: 0,
      overdue: i % 25 === 0,
      raisedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    });
    const monthOf = (i: number) => `2026-${String((i % 12) + 1).padStart(2, '0')}`;
    const DEPARTMENTS = 17;
    const template = caseFacts(templateCase);
    /** a case of the month i % 12, on one of its days, its duties with departments and minutes of its own */
    const factsOf = (i: number) => {
      const day = `${monthOf(i)}-${String((i % 28) + 1).padStart(2, '0')}`;
      return {
        _id: caseId(i),
        month: monthOf(i),
        lastSeq: EVENTS_PER_CASE,
        facts: {
          ...template,
          caseId: caseId(i),
          day,
          month: monthOf(i),
          townshipId: `tw-${i % TOWNSHIPS}`,
          matterCode: `M-${i % MATTERS}`,
          urgency: i % 3 === 0 ? 'urgent' : 'normal',
          duties: template.duties.map((d, k) => ({
            ...d,
            departmentId: `dept-${(i + k * 5) % DEPARTMENTS}`,
            reportMinutes: (i * 7 + k * 13) % 240,
            ...(d.role === 'lead' ? { resolveMinutes: (i * 11) % 4000, resolved: i % 4 !== 0 } : {}),
            ratings: i % 2 === 0 ? [{ speed: 1 + (i % 5), attitude: 5, result: 1 + ((i >> 1) % 5) }] : [],
          })),
          cooperation: i % 2 === 0 ? [1 + (i % 5)] : [],
        },
        marks: {
          e5: {
            type: 'duty.escalated',
            at: templateCase.raisedAt,
            departmentId: `dept-${i % DEPARTMENTS}`,
            level: 'reminder',
          },
        },
      };
    };
    const eventsOf = (i: number) =>
      Array.from({ length: EVENTS_PER_CASE }, (_, k) => ({
        _id: `${caseId(i)}:${k + 1}`,
        caseId: caseId(i),
        seq: k + 1,
        type: k === 0 ? 'whistle.raised' : 'case.progress',
        at: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + k * 1000).toISOString(),
        actor: township,
        data: k === 0 ? { raise } : { note: '现场已固定证据' },
        prevHash: 'x'.repeat(64),
        hash: 'y'.repeat(64),
      }));

    const results: Record<string, unknown>[] =
      mode === 'lists' ? await benchLists(store, sizes, samples, analyse, time, say) : [];
    let filled = 0;
    for (const size of mode === 'lists' ? [] : sizes) {
      say(`filling to ${size} cases (${size * EVENTS_PER_CASE} audit events)`);
      for (let from = filled; from < size; from += 1000) {
        const to = Math.min(size, from + 1000);
        const range = Array.from({ length: to - from }, (_, k) => from + k);
        if (mode === 'all') {
          await cases.collection.insertMany(range.map(projection) as never[]);
          await events.collection.insertMany(range.flatMap(eventsOf) as never[]);
        }
        await facts.collection.insertMany(range.map(factsOf) as never[]);
      }
      filled = size;
      analyse(); // what autovacuum does on its own after a bulk load
      const pick = () => Math.floor(Math.random() * size);
      const allRow = async (size: number) => ({
        cases: size,
        auditEvents: size * EVENTS_PER_CASE,
        'findOne by _id': await time(() => cases.findById(caseId(pick())).lean()),
        'updateOne by _id': await time(() =>
          cases.updateOne({ _id: caseId(pick()) }, { $set: { updatedAt: new Date().toISOString() } }),
        ),
        'history (find by caseId)': await time(() => caseHistory(events, caseId(pick()))),
        // every match is decoded, sorted and counted in Go: fewer samples
        [`page by township (${Math.round(size / TOWNSHIPS)} match)`]: await time(
          () => searchCases(cases, { townshipId: `tw-${pick() % TOWNSHIPS}` }, 1, 20),
          Math.max(20, Math.round(samples / 10)),
        ),
        [`page by matter (${Math.round(size / MATTERS)} match)`]: await time(
          () => searchCases(cases, { matterCode: `M-${pick() % MATTERS}` }, 1, 20),
          Math.max(20, Math.round(samples / 10)),
        ),
        [`stats of a month (${Math.round(size / 12)} cases)`]: await time(
          async () => {
            const month = monthOf(pick());
            const records = await recordsOfMonths(facts, [month]);
            return departmentRows(inPeriod(records, { from: `${month}-01`, to: `${month}-31` }));
          },
          Math.max(20, Math.round(samples / 10)),
        ),
      });

      const statsRow = async (size: number) => {
        const t = process.hrtime.bigint();
        const built = await rebuildRollups(rollups);
        const rebuildMs = Number(process.hrtime.bigint() - t) / 1e6;
        const year = { from: '2026-01-01', to: '2026-12-31' };
        const month = () => {
          const m = monthOf(pick());
          return { from: `${m}-01`, to: `${m}-31` };
        };
        const rolled = async <K extends TallyKind>(kind: K, filter: { from: string; to: string }) => {
          const units = await rollupTallies(rollups, kind, filter);
          if (!units) throw new Error('no rollups');
          return units;
        };
        return {
          cases: size,
          [`rebuild the rollups from every fact (${built.cases} cases, ${built.documents} documents), ms`]:
            Math.round(rebuildMs),
          [`stats of a month from the facts (${Math.round(size / 12)} cases)`]: await time(
            async () => {
              const f = month();
              return departmentRows(inPeriod(await recordsOfMonths(facts, [f.from.slice(0, 7)]), f));
            },
            Math.max(5, Math.round(samples / 20)),
          ),
          'rollups: departments, a year': await time(async () => departmentRowsOf(await rolled('departments', year))),
          'rollups: townships, a year': await time(async () => townshipRowsOf(await rolled('townships', year))),
          'rollups: matters, a year': await time(async () => matterCountsOf(await rolled('matters', year))),
          'rollups: department ranking, a month': await time(async () =>
            rank(
              departmentRowsOf(await rolled('departments', month())).map((r) => ({
                id: r.departmentId,
                cases: r.called,
                responseRate: r.reportRate,
                resolutionRate: r.resolutionRate,
                satisfaction: r.satisfaction.result,
              })),
            ),
          ),
          'rollups: township ranking, a month': await time(async () =>
            townshipRowsOf(await rolled('townships', month())),
          ),
          'rollups: departments, 2026-03-10 to 2026-05-20 (days of two months)': await time(async () =>
            departmentRowsOf(await rolled('departments', { from: '2026-03-10', to: '2026-05-20' })),
          ),
        };
      };
      const row = mode === 'stats' ? await statsRow(size) : await allRow(size);
      results.push(row);
      say(JSON.stringify(row));
    }

    const report = {
      at: new Date().toISOString(),
      machine: `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      node: process.version,
      samples,
      results,
    };
    process.stdout.write(table(results));
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `db-${mode === 'lists' ? 'lists' : 'scale'}-${report.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2));
    say(`written to bench/results/${file.split('/').pop()}`);
  } finally {
    await store.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const caseId = (i: number) => `case-${String(i).padStart(6, '0')}`;

function table(rows: Record<string, unknown>[]): string {
  const lines = ['| cases | operation | p50 ms | p95 ms | p99 ms |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    for (const [op, v] of Object.entries(row)) {
      if (typeof v !== 'object' || v === null) continue;
      const s = v as { p50: number; p95: number; p99: number };
      lines.push(`| ${String(row.cases)} | ${op} | ${s.p50} | ${s.p95} | ${s.p99} |`);
    }
  }
  return lines.join('\n') + '\n';
}

main().catch((err) => {
  process.stderr.write(`[bench:db] failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
