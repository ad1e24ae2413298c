/**
 * `npm run bench:db -- --lists`: every list shape the API serves, before and after the lists' read
 * model, at growing size. Fills the case projection (whole cases, as the lists read them before) and
 * the list entries and counts (bulk-loaded as a rebuild does) from the same cases: twenty townships,
 * twelve departments (two called a case), a hundred and fifty matters, raised over two years, one in
 * ten still open, one in fifty (open ones) overdue. Times the old reads (`searchCases` and whole-case scans
 * of the projection) against the new (`listPage`, `liveEntries`); the old ones with fewer samples.
 */
import type { Connection } from 'mongoose';
import type { WhistleCase } from '../domain/case/shape';
import { openCase } from '../domain/whistle';
import { caseProjectionModel, projectionDoc } from '../store/case-projections';
import { searchCases } from '../store/case-search';
import { CaseListLoad, caseListModels, liveEntries, listPage } from '../store/case-list';
import { illegalConstruction, routingFor, township } from '../test/support/fixtures';
import type { Summary } from './stats';

const TOWNSHIPS = 20;
const DEPARTMENTS = 12;
const MATTERS = 150;
const TWO_YEARS_MS = 2 * 365 * 24 * 3_600_000;
const STATUSES = ['closed', 'closed', 'closed', 'closed', 'withdrawn', 'closed', 'evaluating', 'closed', 'merged'];

export type Time = (fn: () => Promise<unknown>, n?: number) => Promise<Summary>;

/** The i-th of `size` cases: spread over two years, the newest last. */
function benchCase(template: WhistleCase, i: number, size: number): WhistleCase {
  const raisedAt = new Date(Date.UTC(2025, 0, 1) + Math.floor((i * TWO_YEARS_MS) / size)).toISOString();
  const open = i % 10 === 0;
  const duties = template.duties.slice(0, 1).flatMap((d) =>
    [0, 5].map((k) => ({
      ...d,
      departmentId: `dept-${(i + k) % DEPARTMENTS}`,
      clocks: {
        ...d.clocks,
        acknowledge: { ...d.clocks.acknowledge, ...(i % 50 === 0 ? { overdueSince: raisedAt } : { metAt: raisedAt }) },
      },
    })),
  );
  return {
    ...template,
    caseId: `case-${String(i).padStart(6, '0')}`,
    title: `案件 ${i} / case ${i}`,
    location: { ...template.location, townshipId: `tw-${i % TOWNSHIPS}` },
    routing: { ...template.routing, matter: { ...template.routing.matter!, code: `M-${i % MATTERS}` } },
    status: (open ? 'reporting' : STATUSES[i % STATUSES.length]) as WhistleCase['status'],
    raisedAt,
    duties,
  };
}

export async function benchLists(
  store: Connection,
  sizes: number[],
  samples: number,
  analyse: () => void,
  time: Time,
  say: (m: string) => void,
): Promise<Record<string, unknown>[]> {
  const cases = caseProjectionModel(store);
  const lists = caseListModels(store);
  await Promise.all([cases.init(), lists.entries.init(), lists.counts.init()]);
  const raise = illegalConstruction();
  const template = openCase('template', raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
  const results: Record<string, unknown>[] = [];
  for (const size of sizes) {
    // the raise times depend on the size: each size is filled anew
    await Promise.all([cases.deleteMany({}), lists.entries.deleteMany({}), lists.counts.deleteMany({})]);
    say(`filling ${size} cases: projection, list entries and counts`);
    const load = new CaseListLoad();
    for (let from = 0; from < size; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, size - from) }, (_, k) => benchCase(template, from + k, size));
      await cases.collection.insertMany(
        batch.map((c) => ({ _id: c.caseId, ...projectionDoc(c, 6, c.raisedAt) })) as never[],
      );
      for (const c of batch) load.add(c, 6, c.raisedAt);
    }
    await load.insert(lists);
    analyse();
    const pick = (n: number) => Math.floor(Math.random() * n);
    const few = 3; // a whole-collection read at 100,000 takes seconds
    const shapes: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'page by township',
        () => searchCases(cases, { townshipId: `tw-${pick(TOWNSHIPS)}` }, 1, 20),
        () => listPage(lists, { townshipId: `tw-${pick(TOWNSHIPS)}` }, 1, 20),
      ],
      [
        'page by department',
        () => searchCases(cases, { departmentId: `dept-${pick(DEPARTMENTS)}` }, 1, 20),
        () => listPage(lists, { departmentId: `dept-${pick(DEPARTMENTS)}` }, 1, 20),
      ],
      [
        'page by status',
        () => searchCases(cases, { status: 'reporting' }, 1, 20),
        () => listPage(lists, { status: 'reporting' }, 1, 20),
      ],
      [
        'overdue page',
        () => searchCases(cases, { overdue: true }, 1, 20),
        () => listPage(lists, { overdue: true }, 1, 20),
      ],
      [
        "a township's page 50, in a status",
        () => searchCases(cases, { townshipId: `tw-${pick(TOWNSHIPS)}`, status: 'closed' }, 50, 20),
        () => listPage(lists, { townshipId: `tw-${pick(TOWNSHIPS)}`, status: 'closed' }, 50, 20),
      ],
      [
        'overdue list (GET /overdue, every late clock)',
        () => cases.find({ overdue: true }).lean(),
        () => liveEntries(lists, 'late'),
      ],
      [
        "a department's queue (GET /queues/duties)",
        () => cases.find({ departmentIds: `dept-${pick(DEPARTMENTS)}` }).lean(),
        () => liveEntries(lists, `queue:dept-${pick(DEPARTMENTS)}`),
      ],
    ];
    const row: Record<string, unknown> = { cases: size };
    for (const [name, before, after] of shapes) {
      row[`${name}: before`] = await time(before, few);
      row[`${name}: after`] = await time(after, samples);
      say(`${size} ${name}: ${JSON.stringify(row[`${name}: before`])} → ${JSON.stringify(row[`${name}: after`])}`);
    }
    results.push(row);
  }
  return results;
}
