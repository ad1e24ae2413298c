/**
 * The store's query shapes are answered from the indexes its mongoose schemas declare, on the local
 * database (FerretDB on PostgreSQL): proven from PostgreSQL's own counters
 * (`pg_stat_user_indexes.idx_scan` of the index grows), never from a timing. The collections are
 * filled first (and analysed) so that the planner weighs a realistic table, not an empty one.
 */
import type { CaseEvent } from '../../domain/case-event';
import { openCase } from '../../domain/whistle';
import { appendEvents, auditEventModel, caseHistory, type AuditEventModel } from '../../store/audit-events';
import { caseProjectionModel, saveProjection, type CaseProjectionModel } from '../../store/case-projections';
import { searchCases } from '../../store/case-search';
import {
  CaseListLoad,
  caseListModels,
  liveEntries,
  listPage,
  openCaseCounts,
  saveListEntry,
  type CaseListModels,
} from '../../store/case-list';
import { foldRollups, rollupModels, rollupTallies, type RollupModels } from '../../store/stats-rollups';
import { listCase } from '../support/list-cases';
import { outboxBatches, outboxModel, settle, type OutboxModel } from '../../store/outbox';
import { GridReports } from '../../store/grid-reports';
import { caseFactsModel, recordsOfMonths, type CaseFactsModel } from '../../store/case-facts';
import { BUCKET_MS, feedBetween, overdueFeedModel, type OverdueFeedModel } from '../../store/overdue-feed';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { illegalConstruction, routingFor, township } from '../support/fixtures';

const CASES = 2_000;
const EVENTS_PER_CASE = 5;
const STATUSES = ['reporting', 'on_site', 'in_progress', 'resolved', 'verified', 'closed', 'withdrawn', 'merged'];

let db: TestDatabase;
let cases: CaseProjectionModel;
let events: AuditEventModel;
let outbox: OutboxModel;
let gridReports: GridReports;
const GRID_REPORTS = 5_000;
let facts: CaseFactsModel;
let feed: OverdueFeedModel;
let lists: CaseListModels;
let rollups: RollupModels;
/** the minute the fold's watermark stands at: the reads and the fold query the minutes around it */
const NOW = new Date();
const minuteOf = (at: Date) => at.toISOString().slice(0, 16);

/** idx_scan by `collection method field[,field]`, e.g. `cases gin townshipId`. */
async function indexScans(): Promise<Map<string, number>> {
  const rows = await db.sql(`
    SELECT t.relname, am.amname, pg_get_indexdef(s.indexrelid), s.idx_scan
      FROM pg_stat_user_indexes s
      JOIN pg_class i ON i.oid = s.indexrelid
      JOIN pg_am am ON am.oid = i.relam
      JOIN pg_class t ON t.oid = s.relid
     WHERE s.schemaname = '${db.name}'`);
  const scans = new Map<string, number>();
  for (const [table, method, definition, count] of rows) {
    // FerretDB names a collection's table `<collection>_<hash>`; its index columns `(_jsonb -> 'field')`
    const collection = table!.replace(/_[0-9a-f]{8}$/, '');
    const fields = [...definition!.matchAll(/-> '([^']+)'/g)].map((m) => m[1]).join(',');
    scans.set(`${collection} ${method} ${fields}`, Number(count));
  }
  return scans;
}

/** Each query shape the store uses, and the index it has to be answered from. */
const shapes: { shape: string; index: string; run: () => Promise<unknown> }[] = [
  {
    shape: 'a projection read by _id (findById)',
    index: 'cases gin _id',
    run: () => cases.findById('case-00042', { lastSeq: 1 }).lean(),
  },
  {
    shape: 'a projection written over by _id (saveProjection: replaceOne)',
    index: 'cases btree _id',
    run: async () => {
      const raise = illegalConstruction();
      const c = openCase('case-saved', raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
      await saveProjection(cases, c, 1, '2026-03-02T01:00:00Z');
      await saveProjection(cases, c, 2, '2026-03-02T01:05:00Z');
    },
  },
  {
    shape: "a township's cases (equality on townshipId)",
    index: 'cases gin townshipId',
    run: () => searchCases(cases, { townshipId: 'tw-07' }, 1, 20),
  },
  {
    shape: 'the cases in a status (equality on status)',
    index: 'cases gin status',
    run: () => searchCases(cases, { status: 'withdrawn' }, 1, 20),
  },
  {
    shape: "a department's cases (equality on a member of departmentIds)",
    index: 'cases gin departmentIds',
    run: () => searchCases(cases, { departmentId: 'dept-13' }, 1, 20),
  },
  {
    shape: 'the overdue count (countDocuments on overdue)',
    index: 'cases gin overdue',
    run: () => cases.countDocuments({ overdue: true }),
  },
  {
    shape: "a list's day counts (listPage: equality on list)",
    index: 'case_list_counts gin list',
    run: () => listPage(lists, { townshipId: 'tw-xiaxi', status: 'closed' }, 2, 20),
  },
  {
    shape: 'the open cases by township and grid (openCaseCounts: equality on list, and township)',
    index: 'case_list_counts gin list',
    run: async () => {
      await openCaseCounts(lists);
      await openCaseCounts(lists, 'tw-xiaxi');
    },
  },
  {
    shape: "a list page's days and a queue (listPage, liveEntries: equality on a member of keys)",
    index: 'case_list gin keys',
    run: async () => {
      await listPage(lists, { status: 'reporting' }, 1, 20);
      await liveEntries(lists, 'queue:tw-nanpuxi');
    },
  },
  {
    shape: 'a list entry written over (saveListEntry: findById)',
    index: 'case_list gin _id',
    run: () => saveListEntry(lists, { ...listCase(7, 2), status: 'closed' }, 2, '2026-03-02T01:05:00Z'),
  },
  {
    shape: "a case's audit history (caseHistory: equality on caseId)",
    index: 'audit_events gin caseId',
    run: () => caseHistory(events, 'case-00042'),
  },
  {
    shape: 'the audit event an appended one links to (findById)',
    index: 'audit_events gin _id',
    run: () => {
      const next: CaseEvent = {
        caseId: 'case-00043',
        seq: EVENTS_PER_CASE + 1,
        type: 'case.progress',
        at: '2026-03-02T02:00:00Z',
        actor: township,
        data: {},
      };
      return appendEvents(events, [next]);
    },
  },
  {
    shape: 'outbox batches (outboxBatches: findById)',
    index: 'notifications gin _id',
    run: () => outboxBatches(outbox, 'case-00042', 1, 3, [1]),
  },
  {
    shape: 'an outbox batch settled (updateOne by _id)',
    index: 'notifications btree _id',
    run: async () => {
      const [batch] = await outboxBatches(outbox, 'case-00044', 1, 3, [1]);
      await settle(outbox, batch!);
    },
  },
  {
    shape: "a township's open grid reports (equality on queue)",
    index: 'grid_reports gin queue',
    run: () => gridReports.ofTownship('tw-07', 'open'),
  },
  {
    shape: "a grid member's own reports (equality on filedBy)",
    index: 'grid_reports gin filedBy',
    run: () => gridReports.filedBy('acc-grid-013'),
  },
  {
    shape: "a month's grid-report tallies, every township (equality on month)",
    index: 'grid_report_tallies gin month',
    run: () => gridReports.count({ from: '2026-03-01', to: '2026-03-31' }),
  },
  {
    shape: "the statistics' case facts of a month (recordsOfMonths: equality on month)",
    index: 'case_facts gin month',
    run: () => recordsOfMonths(facts, ['2026-03']),
  },
  {
    shape: "the facts changed since the fold's watermark (rollupTallies: equality on minute)",
    index: 'case_facts gin minute',
    run: () => rollupTallies(rollups, 'departments', { from: '2026-03-01', to: '2026-03-31' }, NOW),
  },
  {
    shape: 'the cases a fold marked (foldRollups: equality on run)',
    index: 'stats_folded gin run',
    run: () => foldRollups(rollups, NOW),
  },
  {
    shape: 'grid-report outcomes of the minutes before a fold (count: equality on minute)',
    index: 'grid_report_outcomes gin minute',
    run: () => gridReports.count({ from: '2026-03-01', to: '2026-03-31' }),
  },
  {
    shape: "the overdue stream's minute (feedBetween: equality on bucket)",
    index: 'overdue_feed gin bucket',
    run: () => feedBetween(feed, 7 * BUCKET_MS, 7 * BUCKET_MS),
  },
];

const before = new Map<string, number>();
const after = new Map<string, number>();

beforeAll(async () => {
  db = await startTestDatabase();
  cases = caseProjectionModel(db.connection);
  events = auditEventModel(db.connection);
  outbox = outboxModel(db.connection);
  gridReports = new GridReports(db.connection);
  const { GridReport, GridReportTally } = db.connection.models as Record<string, typeof cases>;
  facts = caseFactsModel(db.connection);
  feed = overdueFeedModel(db.connection);
  lists = caseListModels(db.connection);
  rollups = rollupModels(db.connection);
  await Promise.all([
    rollups.folded.init(),
    rollups.rollups.init(),
    (db.connection.models.GridReportOutcome as typeof cases).init(),
    lists.entries.init(),
    lists.counts.init(),
    cases.init(),
    events.init(),
    outbox.init(),
    facts.init(),
    feed.init(),
    GridReport!.init(),
    GridReportTally!.init(),
  ]);

  // filled without reads (plain inserts count no index scan)
  const id = (i: number) => `case-${String(i).padStart(5, '0')}`;
  await cases.collection.insertMany(
    Array.from({ length: CASES }, (_, i) => ({
      _id: id(i) as never,
      caseId: id(i),
      lastSeq: EVENTS_PER_CASE,
      townshipId: `tw-${String(i % 20).padStart(2, '0')}`,
      status: STATUSES[i % STATUSES.length],
      departmentIds: [`dept-${String(i % 30).padStart(2, '0')}`, `dept-${String((i + 7) % 30).padStart(2, '0')}`],
      overdue: i % 20 === 0,
      raisedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    })),
  );
  // the same number of list entries, raised every two hours (bulk-loaded as a rebuild does)
  const load = new CaseListLoad();
  for (let i = 0; i < CASES; i++) load.add(listCase(i, 2), 1, '2026-03-01T00:00:00Z');
  await load.insert(lists);
  // a year of cases' facts, a day of stream rows a minute
  await facts.collection.insertMany(
    Array.from({ length: CASES }, (_, i) => ({
      _id: id(i) as never,
      month: `2026-${String((i % 12) + 1).padStart(2, '0')}`,
      // stamped over the day before the watermark: none in the minutes a read or a fold looks at
      minute: minuteOf(new Date(NOW.getTime() - (60 + (i % 1380)) * 60_000)),
      lastSeq: EVENTS_PER_CASE,
      facts: { caseId: id(i), duties: [] },
      marks: {},
    })),
  );
  // folded by earlier runs, and a watermark (the fold has run before)
  await rollups.folded.collection.insertMany(
    Array.from({ length: CASES }, (_, i) => ({ _id: id(i) as never, run: 1 + (i % 40), record: null, prev: null })),
  );
  await rollups.state.collection.insertOne({ _id: 'state' as never, run: 40, through: minuteOf(NOW) });
  await (db.connection.models.GridReportOutcome as typeof cases).collection.insertMany(
    Array.from({ length: GRID_REPORTS }, (_, i) => ({
      _id: `gr-${i}:handled` as never,
      reportId: `gr-${i}`,
      townshipId: 'tw-07',
      outcome: 'handled',
      day: '2026-02-01',
      minute: minuteOf(new Date(NOW.getTime() - (i % 20_000) * 60_000)),
    })),
  );
  await feed.collection.insertMany(
    Array.from({ length: CASES }, (_, i) => ({
      _id: `${id(i)}:4:desk` as never,
      recordedAt: (i % 1440) * BUCKET_MS,
      bucket: i % 1440,
    })),
  );
  let prevHash = '';
  await events.collection.insertMany(
    Array.from({ length: CASES * EVENTS_PER_CASE }, (_, n) => {
      const [i, seq] = [Math.floor(n / EVENTS_PER_CASE), (n % EVENTS_PER_CASE) + 1];
      const hash = `h${n}`;
      const doc = {
        _id: `${id(i)}:${seq}` as never,
        caseId: id(i),
        seq,
        type: 'case.progress',
        at: '2026-03-02T01:00:00Z',
        actor: township,
        data: {},
        prevHash,
        hash,
      };
      prevHash = hash;
      return doc;
    }),
  );
  await outbox.collection.insertMany(
    Array.from({ length: CASES }, (_, i) => ({
      _id: `${id(i)}:1` as never,
      kind: 'batch',
      caseId: id(i),
      firstSeq: 1,
      lastSeq: EVENTS_PER_CASE,
      entries: [],
    })),
  );
  // Taishun's scale: most reports decided, a few open in each township; a tally per township and month
  await GridReport!.collection.insertMany(
    Array.from({ length: GRID_REPORTS }, (_, i) => {
      const townshipId = `tw-${String(i % 20).padStart(2, '0')}`;
      const status = i % 25 === 0 ? 'open' : i % 3 === 0 ? 'whistled' : 'handled';
      return {
        _id: `gr-${i}` as never,
        id: `gr-${i}`,
        townshipId,
        status,
        queue: `${townshipId}:${status}`,
        filedBy: `acc-grid-${String(i % 200).padStart(3, '0')}`,
        filedAt: new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString(),
      };
    }),
  );
  // ten years of months for a county of 100 townships: a table the planner does not just scan
  const MONTHS = 120;
  await GridReportTally!.collection.insertMany(
    Array.from({ length: 100 * MONTHS }, (_, i) => {
      const township = `tw-${String(i % 100).padStart(2, '0')}`;
      const n = Math.floor(i / 100);
      const month = `${2020 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
      return { _id: `${township}:${month}` as never, townshipId: township, month, days: {} };
    }),
  );
  // the statistics autovacuum would gather on its own, now
  await db.sql('ANALYZE');

  for (const [k, v] of await indexScans()) before.set(k, v);
  for (const { run } of shapes) await run();
  // PostgreSQL's backends publish their counters when idle, within about 10 s
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await indexScans();
    for (const [k, v] of now) after.set(k, v);
    if (shapes.every(({ index }) => (now.get(index) ?? 0) > (before.get(index) ?? 0))) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe('when the store runs each of its query shapes on filled collections', () => {
  it.each(shapes)('then $shape is answered from the index $index', ({ index }) => {
    expect(before.has(index)).toBe(true); // the declared index exists (with its GIN twin)
    expect(after.get(index)! - before.get(index)!).toBeGreaterThan(0);
  });

  it('then every index declared on these collections has its GIN twin, which equality filters need', async () => {
    const declared = [...before.keys()].filter((k) => k.includes(' btree ') && !k.startsWith('_ferretdb'));
    expect(declared.length).toBeGreaterThan(5);
    for (const btree of declared) expect(before.has(btree.replace(' btree ', ' gin '))).toBe(true);
  });
});
