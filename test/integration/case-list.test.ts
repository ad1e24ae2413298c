/**
 * The lists' read model (store/case-list.ts) on the local database: every page of every list shape
 * equals what a plain sort and slice of the same cases gives, with the same total; a retried or late
 * recording changes nothing; a deployment whose projection has cases and no lists gets them.
 */
import type { WhistleCase } from '../../domain/case/shape';
import { caseProjectionModel, saveProjection, type CaseProjectionModel } from '../../store/case-projections';
import {
  CaseListLoad,
  caseListModels,
  ensureCaseList,
  liveEntries,
  listPage,
  openCaseCounts,
  saveListEntry,
  type CaseListModels,
} from '../../store/case-list';
import type { CaseFilter } from '../../store/case-search';
import { departmentsInScope } from '../../domain/access';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { listCase } from '../support/list-cases';

const CASES = 300;

let db: TestDatabase;
let lists: CaseListModels;
let cases: CaseProjectionModel;
const all: WhistleCase[] = Array.from({ length: CASES }, (_, i) => listCase(i, 7));

/** What a list holds, worked out the plain way: filter, newest first (then by id), slice. */
function expected(filter: CaseFilter, page: number, pageSize: number) {
  const matches = all
    .filter(
      (c) =>
        (!filter.status || c.status === filter.status) &&
        (!filter.urgency || c.urgency === filter.urgency) &&
        (!filter.townshipId || c.location.townshipId === filter.townshipId) &&
        (!filter.departmentId || departmentsInScope(c).includes(filter.departmentId)) &&
        (!filter.matterCode || c.routing.matter?.code === filter.matterCode) &&
        (filter.overdue === undefined || filter.overdue === false) &&
        (!filter.from || c.raisedAt >= filter.from) &&
        (!filter.to || c.raisedAt < filter.to),
    )
    .sort((a, b) => (a.raisedAt !== b.raisedAt ? (a.raisedAt < b.raisedAt ? 1 : -1) : a.caseId < b.caseId ? -1 : 1));
  return { ids: matches.slice((page - 1) * pageSize, page * pageSize).map((c) => c.caseId), total: matches.length };
}

beforeAll(async () => {
  db = await startTestDatabase();
  lists = caseListModels(db.connection);
  cases = caseProjectionModel(db.connection);
  await Promise.all([lists.entries.init(), lists.counts.init(), cases.init()]);
  for (const c of all) await saveListEntry(lists, c, 1, c.raisedAt);
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

const department = () => departmentsInScope(all[0]!)[0]!;

describe('when cases are recorded into the lists', () => {
  const shapes: [string, () => CaseFilter][] = [
    ['every case', () => ({})],
    ['a township', () => ({ townshipId: 'tw-xiaxi' })],
    ['a department', () => ({ departmentId: department() })],
    ['a status', () => ({ status: 'reporting' })],
    ['a township in a status', () => ({ townshipId: 'tw-nanpuxi', status: 'closed' })],
    [
      'a township, a matter and an urgency',
      () => ({ townshipId: 'tw-xiaxi', matterCode: 'SL-005', urgency: 'urgent' }),
    ],
    ['not overdue', () => ({ overdue: false })],
    ['a range within days', () => ({ from: '2026-01-10T05:00:00.000Z', to: '2026-02-20T13:30:00.000Z' })],
    ['a township and a range', () => ({ townshipId: 'tw-shangyuan', from: '2026-01-03T00:00:00.000Z' })],
  ];
  it.each(shapes)('then each page of %s holds what a plain sort gives, with the same total', async (_name, make) => {
    const filter = make();
    expect(expected(filter, 1, 1).total).toBeGreaterThan(0);
    for (const [page, pageSize] of [
      [1, 20],
      [2, 20],
      [3, 7],
      [1, 100],
      [40, 5],
    ] as const) {
      const want = expected(filter, page, pageSize);
      const got = await listPage(lists, filter, page, pageSize);
      expect({ ids: got.items.map((e) => e.caseId), total: got.total }).toEqual(want);
    }
  });

  it('then a retried batch and a late older batch change neither the entry nor the totals', async () => {
    const c = all[0]!;
    const before = await listPage(lists, { status: c.status }, 1, 1);
    await saveListEntry(lists, c, 1, c.raisedAt); // the same batch again
    await saveListEntry(lists, { ...c, status: 'withdrawn' }, 0, c.raisedAt); // an older one, late
    expect(await listPage(lists, { status: c.status }, 1, 1)).toEqual(before);
  });

  it('then a case that moves on moves from one list and its total to the other', async () => {
    const c = all[3]!; // withdrawn
    const [was, is] = await Promise.all([
      listPage(lists, { status: 'withdrawn' }, 1, 1),
      listPage(lists, { status: 'evaluating' }, 1, 1),
    ]);
    await saveListEntry(lists, { ...c, status: 'evaluating' }, 2, '2026-06-01T00:00:00.000Z');
    expect((await listPage(lists, { status: 'withdrawn' }, 1, 1)).total).toBe(was.total - 1);
    expect(await listPage(lists, { status: 'evaluating' }, 1, 1)).toMatchObject({ total: is.total + 1 });
    await saveListEntry(lists, c, 3, '2026-06-01T00:00:00.000Z');
    expect((await listPage(lists, { status: 'withdrawn' }, 1, 1)).total).toBe(was.total);
  });

  it("then a department's queue holds its open cases' duties only", async () => {
    const unit = department();
    const queued = await liveEntries(lists, `queue:${unit}`);
    const open = all.filter(
      (c) => ['reporting', 'in_progress'].includes(c.status) && departmentsInScope(c).includes(unit),
    );
    expect(queued.map((e) => e.caseId).sort()).toEqual(open.map((c) => c.caseId).sort());
  });
});

describe('when the supervisor counts the open cases by township and grid', () => {
  /** The open and overdue cases per township grid, counted the plain way. */
  const plain = (cs: WhistleCase[]) => {
    const counts = new Map<string, { open: number; overdue: number }>();
    for (const c of cs.filter((x) => ['reporting', 'in_progress'].includes(x.status))) {
      const key = `${c.location.townshipId} ${c.location.gridId ?? ''}`;
      const n = counts.get(key) ?? { open: 0, overdue: 0 };
      counts.set(key, { open: n.open + 1, overdue: n.overdue });
    }
    return counts;
  };
  const tallied = async () =>
    new Map(
      (await openCaseCounts(lists)).map((c) => [`${c.townshipId} ${c.gridId}`, { open: c.open, overdue: c.overdue }]),
    );

  it('then each grid holds its open cases; a case turning overdue, closing and reopening moves its counts', async () => {
    const want = plain(all);
    expect(want.size).toBe(3);
    expect(await tallied()).toEqual(want);
    expect(await openCaseCounts(lists, 'tw-xiaxi')).toEqual([
      { townshipId: 'tw-xiaxi', gridId: 'tw-xiaxi-g01', ...want.get('tw-xiaxi tw-xiaxi-g01') },
    ]);

    const c = all.find((x) => x.status === 'reporting' && x.location.townshipId === 'tw-xiaxi')!;
    const key = 'tw-xiaxi tw-xiaxi-g01';
    const late = structuredClone(c);
    late.duties[0]!.clocks.acknowledge.overdueSince = late.duties[0]!.clocks.acknowledge.deadline;
    await saveListEntry(lists, late, 5, '2026-06-01T00:00:00.000Z');
    expect((await tallied()).get(key)).toEqual({ open: want.get(key)!.open, overdue: 1 });
    await saveListEntry(lists, { ...late, status: 'closed' }, 6, '2026-06-02T00:00:00.000Z');
    expect((await tallied()).get(key)).toEqual({ open: want.get(key)!.open - 1, overdue: 0 });
    await saveListEntry(lists, c, 7, '2026-06-03T00:00:00.000Z');
    expect(await tallied()).toEqual(want);
  });
});

describe('when a deployment has cases in its projection and no lists', () => {
  it('then the start-up builds them, once, and they answer as recorded ones do', async () => {
    const want = await listPage(lists, { townshipId: 'tw-xiaxi' }, 2, 15);
    for (const c of all) await saveProjection(cases, c, 1, c.raisedAt);
    await lists.entries.deleteMany({});
    await lists.counts.deleteMany({});
    expect(await ensureCaseList(cases, lists)).toBe(CASES);
    expect(await ensureCaseList(cases, lists)).toBe(0); // the lists are there now
    expect(await listPage(lists, { townshipId: 'tw-xiaxi' }, 2, 15)).toEqual(want);
  });

  it('then lists laid out before the open tally are laid anew, once, with it', async () => {
    const open = await openCaseCounts(lists);
    await lists.counts.deleteMany({ list: 'open' });
    await lists.counts.deleteMany({ list: 'layout' });
    expect(await ensureCaseList(cases, lists)).toBe(CASES);
    expect(await ensureCaseList(cases, lists)).toBe(0);
    expect(await openCaseCounts(lists)).toEqual(open);
  });
});

describe('when a bulk load is written beside cases already recorded (the scale bench)', () => {
  it('then the counts both share add up, and the marker is not written twice', async () => {
    const cases = caseProjectionModel(db.connection.useDb('lists_beside'));
    const beside = caseListModels(db.connection.useDb('lists_beside'));
    await Promise.all([beside.entries.init(), beside.counts.init()]);
    await ensureCaseList(cases, beside); // a live system's start: marked
    const live = { ...listCase(1, 4), caseId: 'live-1', status: 'reporting' as const };
    await saveListEntry(beside, live, 1, live.raisedAt);
    const load = new CaseListLoad();
    const loaded = [1, 4, 7].map((i) => ({ ...listCase(i, 4), caseId: `loaded-${i}`, status: 'in_progress' as const }));
    for (const c of loaded) load.add(c, 1, c.raisedAt);
    await load.insert(beside);
    expect(await openCaseCounts(beside, live.location.townshipId)).toEqual([
      { townshipId: live.location.townshipId, gridId: live.location.gridId, open: 4, overdue: 0 },
    ]);
    expect((await listPage(beside, { townshipId: live.location.townshipId }, 1, 10)).total).toBe(4);
    expect(await beside.counts.countDocuments({ list: 'layout' })).toBe(1);
  });
});

describe('when a deployment starts without cases', () => {
  it('then its lists are marked as laid out and nothing is built', async () => {
    const empty = caseProjectionModel(db.connection.useDb('lists_empty'));
    const fresh = caseListModels(db.connection.useDb('lists_empty'));
    expect(await ensureCaseList(empty, fresh)).toBe(0);
    expect(await fresh.counts.countDocuments({ list: 'layout' })).toBe(1);
  });
});

describe('when many cases of one day are recorded at once, as one worker records them', () => {
  it('then every one is counted: the count writes of one document take turns', async () => {
    const burst = Array.from({ length: 120 }, (_, i) => {
      const c = listCase(10_000 + i, 0); // all raised at the same instant, on one day
      return { ...c, caseId: `burst-${i}`, status: 'reporting' as const };
    });
    const before = await listPage(lists, { townshipId: 'tw-xiaxi' }, 1, 1);
    await Promise.all(burst.map((c) => saveListEntry(lists, c, 1, c.raisedAt)));
    const added = burst.filter((c) => c.location.townshipId === 'tw-xiaxi').length;
    expect((await listPage(lists, { townshipId: 'tw-xiaxi' }, 1, 1)).total).toBe(before.total + added);
    const day = burst[0]!.raisedAt;
    const onTheDay = await listPage(lists, { from: day, to: new Date(Date.parse(day) + 1).toISOString() }, 1, 200);
    expect(onTheDay.items.filter((e) => e.caseId.startsWith('burst-'))).toHaveLength(burst.length);
  });
});
