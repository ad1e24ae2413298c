/**
 * The lists' read model: one small entry per case (what a list row shows and filters by, the case's
 * queue items and late clocks), written by the recording activity next to the projection and, like
 * it, ordered by `lastSeq`. The local database (FerretDB 1.x) answers only equality from an index and
 * does everything else (sort, skip, limit, count) over every matching document, so each entry carries
 * `keys`: equality keys small enough that one query matches a page's worth, not the collection:
 *
 * - `<list>` and `<list>|<day>` per list (`all`, `township:X`, `department:Y`, each alone or with one
 *   facet: `/status:S`, `/overdue:B`, `/matter:M`, `/urgency:U`) and raise day (UTC);
 * - `queue:<unit>`, `desk`, `supervision`, `late`, `late:township:X`, `late:department:Y` while the case
 *   waits for someone (bounded by the work in hand, not by history);
 * - `open|<township>|<grid>|open` (and `…|overdue`) while the case is open: the supervisor's open cases
 *   by township and grid, counted in one document per grid (`openCaseCounts`).
 *
 * A count document per list and raise month (`days`: raise day → entries) makes `total` and the
 * page's days a read of a few small documents; a page then reads only its days' entries. The counts
 * follow the entries (`counted` says which day keys they hold); `rebuildCaseList` lays both anew
 * from the projection (an existing deployment's start-up, or after a crash between the two writes).
 */
import AsyncLock from 'async-lock';
import { Schema, type Connection, type Model } from 'mongoose';
import type { WhistleCase } from '../domain/case/shape';
import { departmentsInScope } from '../domain/access';
import { isOverdue } from '../domain/clocks';
import {
  atTheDesk,
  dutiesOf,
  forSupervision,
  standingLateClocks,
  type QueueItem,
  type StandingLateClock,
} from '../domain/queues';
import { isDuplicateKey } from './connection';
import type { CaseFilter } from './case-search';
import type { CaseProjectionModel } from './case-projections';

/** A case still running: a final or closed case waits for nobody. */
const OPEN: readonly string[] = ['dispatching', 'reporting', 'in_progress', 'awaiting_verification'];

export interface CaseListEntry {
  _id: string;
  lastSeq: number;
  caseId: string;
  caseNumber?: string;
  title: string;
  status: WhistleCase['status'];
  urgency: WhistleCase['urgency'];
  townshipId: string;
  matterCode: string | null;
  departmentIds: string[];
  overdue: boolean;
  raisedAt: string;
  raisedByModule?: string;
  gridReportId?: string;
  updatedAt: string;
  duties: WhistleCase['duties'];
  keys: string[];
  /** the day keys the count documents hold for this entry */
  counted: string[];
  /** each unit's open duties and steps (its queue) */
  pending: { unit: string; items: QueueItem[] }[];
  desk: QueueItem[];
  supervision: QueueItem[];
  late: StandingLateClock[];
}

/**
 * How many entries of one list were raised on each day of one month; or, for the open tally (list
 * `open`), how many of a township grid's cases are open and overdue.
 */
export interface ListCountDoc {
  _id: string;
  list: string;
  month: string;
  /** day of the month (`01`…`31`) → entries; in the open tally, `open` and `overdue` → cases */
  days: Record<string, number>;
  townshipId?: string;
  /** the open tally's grid: `''` for cases raised without one */
  gridId?: string;
}

/** The open tally's list (no list a filter reads is named so). */
const OPEN_TALLY = 'open';
/**
 * The lists' layout: the start-up lays the lists anew when the count documents lack its marker (a
 * deployment from before the open tally; one whose lists were never built).
 */
const LAYOUT_MARKER = { _id: 'layout:2', list: 'layout', month: '', days: {} };

const entrySchema = new Schema<CaseListEntry>(
  {
    _id: { type: String, required: true },
    lastSeq: { type: Number, required: true },
    keys: { type: [String], index: true },
    // the facets a list can add as equality terms to its key (see `pick`)
    status: String,
    urgency: String,
    townshipId: String,
    matterCode: String,
    departmentIds: [String],
    overdue: Boolean,
    raisedAt: String,
  },
  { versionKey: false, minimize: false, strict: false, collection: 'case_list' },
);
const countSchema = new Schema<ListCountDoc>(
  {
    _id: { type: String, required: true },
    list: { type: String, index: true },
    month: String,
    days: {},
    townshipId: String,
    gridId: String,
  },
  { versionKey: false, minimize: false, collection: 'case_list_counts' },
);

export interface CaseListModels {
  entries: Model<CaseListEntry>;
  counts: Model<ListCountDoc>;
}

export function caseListModels(connection: Connection): CaseListModels {
  return {
    entries:
      (connection.models.CaseListEntry as Model<CaseListEntry> | undefined) ??
      connection.model<CaseListEntry>('CaseListEntry', entrySchema),
    counts:
      (connection.models.CaseListCount as Model<ListCountDoc> | undefined) ??
      connection.model<ListCountDoc>('CaseListCount', countSchema),
  };
}

/** The lists a case is on: every scope, alone and with each facet. */
function listsOf(c: WhistleCase, departmentIds: string[], overdue: boolean): string[] {
  const scopes = ['all', `township:${c.location.townshipId}`, ...departmentIds.map((d) => `department:${d}`)];
  const matter = c.routing.matter?.code;
  const facets = [
    `status:${c.status}`,
    `overdue:${overdue}`,
    `urgency:${c.urgency}`,
    ...(matter ? [`matter:${matter}`] : []),
  ];
  return scopes.flatMap((s) => [s, ...facets.map((f) => `${s}/${f}`)]);
}

/** The list entry of a case after event `lastSeq` (recorded at `at`). */
export function listEntry(c: WhistleCase, lastSeq: number, at: string): Omit<CaseListEntry, 'counted'> {
  const departmentIds = departmentsInScope(c);
  const overdue = isOverdue(c);
  const day = c.raisedAt.slice(0, 10);
  const open = OPEN.includes(c.status);
  const townshipId = c.location.townshipId;
  const pending = open
    ? [...departmentIds, townshipId].map((unit) => ({ unit, items: dutiesOf(c, unit) })).filter((p) => p.items.length)
    : [];
  const desk = open ? atTheDesk(c) : [];
  const supervision = open ? forSupervision(c) : [];
  const late = standingLateClocks(c);
  const tally = `${OPEN_TALLY}|${townshipId}|${c.location.gridId ?? ''}`;
  const keys = [
    ...listsOf(c, departmentIds, overdue).flatMap((l) => [l, `${l}|${day}`]),
    ...pending.map((p) => `queue:${p.unit}`),
    ...(desk.length ? ['desk'] : []),
    ...(supervision.length ? ['supervision'] : []),
    ...(late.length
      ? ['late', `late:township:${townshipId}`, ...departmentIds.map((d) => `late:department:${d}`)]
      : []),
    ...(open ? [`${tally}|open`, ...(overdue ? [`${tally}|overdue`] : [])] : []),
  ];
  return {
    _id: c.caseId,
    lastSeq,
    caseId: c.caseId,
    ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
    title: c.title,
    status: c.status,
    urgency: c.urgency,
    townshipId,
    matterCode: c.routing.matter?.code ?? null,
    departmentIds,
    overdue,
    raisedAt: c.raisedAt,
    ...(c.raisedByModule ? { raisedByModule: c.raisedByModule } : {}),
    ...(c.gridReportId ? { gridReportId: c.gridReportId } : {}),
    updatedAt: at,
    duties: c.duties,
    keys,
    pending,
    desk,
    supervision,
    late,
  };
}

/** The keys the count documents count: day keys and the open tally's. */
const dayKeys = (keys: string[]) => keys.filter((k) => k.includes('|'));

/**
 * Where a counted key is counted: `list|2026-12-07` in the list's month document, field `07`;
 * `open|<township>|<grid>|<figure>` in the grid's open tally document, field `<figure>`.
 */
function countSlot(key: string): { _id: string; fields: Omit<ListCountDoc, '_id' | 'days'>; day: string } {
  const parts = key.split('|') as [string, string, ...string[]];
  if (parts[0] === OPEN_TALLY) {
    const [, townshipId, gridId, figure] = parts as [string, string, string, string];
    const fields = { list: OPEN_TALLY, month: '', townshipId, gridId };
    return { _id: `${OPEN_TALLY}|${townshipId}|${gridId}`, fields, day: figure };
  }
  const [list, date] = parts;
  const month = date.slice(0, 7);
  return { _id: `${list}|${month}`, fields: { list, month }, day: date.slice(8, 10) };
}

/**
 * One write at a time per count document in this process. FerretDB 1.x applies `$inc` by reading
 * the document and writing it back without a lock: 200 concurrent `$inc` on one document left 24,
 * and concurrent upserts of a new one fail with a duplicate key. The recording activities of one
 * worker run concurrently; MongoDB's `$inc` is atomic across processes.
 */
const countLock = new AsyncLock({ maxPending: Infinity });

/** Moves the counts from the day keys `from` to `to` (nothing when they are the same). */
async function moveCounts(counts: Model<ListCountDoc>, from: string[], to: string[]): Promise<void> {
  const was = new Set(from);
  const is = new Set(to);
  const changes: [string, number][] = [
    ...to.filter((k) => !was.has(k)).map((k): [string, number] => [k, 1]),
    ...from.filter((k) => !is.has(k)).map((k): [string, number] => [k, -1]),
  ];
  await Promise.all(
    changes.map(([key, by]) => {
      const { _id, fields, day } = countSlot(key);
      return countLock.acquire(_id, () =>
        counts.updateOne({ _id }, { $set: fields, $inc: { [`days.${day}`]: by } }, { upsert: true }),
      );
    }),
  );
}

/**
 * Writes the case's list entry unless a newer one is there, then moves the counts to its keys.
 * Every query is by `_id`; a retried batch finds its entry and its counts in place and changes nothing.
 */
export async function saveListEntry(
  models: CaseListModels,
  c: WhistleCase,
  lastSeq: number,
  at: string,
): Promise<void> {
  const stored = await models.entries.findById(c.caseId, { lastSeq: 1, keys: 1, counted: 1 }).lean();
  let keys = stored?.keys ?? [];
  if (!stored || stored.lastSeq < lastSeq) {
    const entry = listEntry(c, lastSeq, at);
    keys = entry.keys;
    if (stored) await models.entries.replaceOne({ _id: c.caseId }, { ...entry, counted: stored.counted });
    else {
      try {
        await models.entries.create({ ...entry, counted: [] });
      } catch (err) {
        // another attempt of the same batch inserted first
        if (!isDuplicateKey(err)) throw err;
        return saveListEntry(models, c, lastSeq, at);
      }
    }
  }
  const counted = stored?.counted ?? [];
  const now = dayKeys(keys);
  if (now.length === counted.length && now.every((k) => counted.includes(k))) return;
  await moveCounts(models.counts, counted, now);
  await models.entries.updateOne({ _id: c.caseId }, { $set: { counted: now } });
}

/** Facets in the order a list key takes them; the first given joins the scope in the key. */
const FACETS = [
  ['status', 'status'],
  ['overdue', 'overdue'],
  ['urgency', 'urgency'],
  ['matterCode', 'matter'],
] as const;

/** The list key a filter reads, and the filter's terms the key does not carry (equality on the entry). */
function pick(filter: CaseFilter): { list: string; extra: Record<string, unknown> } {
  const extra: Record<string, unknown> = {};
  let list = 'all';
  if (filter.departmentId !== undefined) {
    list = `department:${filter.departmentId}`;
    if (filter.townshipId !== undefined) extra.townshipId = filter.townshipId;
  } else if (filter.townshipId !== undefined) list = `township:${filter.townshipId}`;
  let faceted = false;
  for (const [field, name] of FACETS) {
    const value = filter[field];
    if (value === undefined) continue;
    if (faceted) extra[field] = value;
    else list = `${list}/${name}:${String(value)}`;
    faceted = true;
  }
  return { list, extra };
}

const newestFirst = (a: CaseListEntry, b: CaseListEntry) =>
  a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0;

const instant = (text: string | undefined) => (text === undefined ? undefined : new Date(text).toISOString());

/** What a list page reads: only the fields a row shows. */
const ROW = { keys: 0, counted: 0, pending: 0, desk: 0, supervision: 0, late: 0 } as const;

/** The list's raise days from `fromDay` to `toDay` (inclusive, either open), newest first, with their counts. */
async function calendar(
  models: CaseListModels,
  list: string,
  fromDay?: string,
  toDay?: string,
): Promise<{ day: string; n: number }[]> {
  const days: { day: string; n: number }[] = [];
  for (const doc of await models.counts.find({ list }).lean<ListCountDoc[]>()) {
    for (const [d, n] of Object.entries(doc.days)) {
      const day = `${doc.month}-${d}`;
      if (n > 0 && (!fromDay || day >= fromDay) && (!toDay || day <= toDay)) days.push({ day, n });
    }
  }
  return days.sort((a, b) => (a.day < b.day ? 1 : -1));
}

const dayEntries = (models: CaseListModels, list: string, day: string, fields: Record<string, 0>) =>
  models.entries.find({ keys: `${list}|${day}` }, fields).lean<CaseListEntry[]>();

/**
 * The newest entries of a list raised in [from, to) that `keep` accepts, at most `limit`: the days
 * walked back from `to`, one query each, until the limit is reached (a bounded walk, for exports
 * and Open311's searches).
 */
export async function newestEntries(
  models: CaseListModels,
  list: string,
  range: { from: string; to: string },
  keep: (e: CaseListEntry) => boolean,
  limit: number,
): Promise<CaseListEntry[]> {
  const found: CaseListEntry[] = [];
  for (const { day } of await calendar(models, list, range.from.slice(0, 10), range.to.slice(0, 10))) {
    const entries = await dayEntries(models, list, day, { keys: 0, counted: 0, pending: 0, desk: 0, supervision: 0 });
    found.push(
      ...entries.filter((e) => e.raisedAt >= range.from && e.raisedAt < range.to && keep(e)).sort(newestFirst),
    );
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}

/**
 * One page of a list, newest first, and how many entries the whole list holds. A list key with at
 * most one facet is read from its day counts and the page's days; more facets at once add equality
 * terms to the list's key over all its days (bounded by that list, not by the collection).
 */
export async function listPage(
  models: CaseListModels,
  filter: CaseFilter,
  page: number,
  pageSize: number,
): Promise<{ items: CaseListEntry[]; total: number }> {
  const { list, extra } = pick(filter);
  const from = instant(filter.from);
  const to = instant(filter.to);
  const inRange = (e: CaseListEntry) => (!from || e.raisedAt >= from) && (!to || e.raisedAt < to);
  const skip = (page - 1) * pageSize;
  if (Object.keys(extra).length) {
    const all = (await models.entries.find({ keys: list, ...extra }, ROW).lean<CaseListEntry[]>()).filter(inRange);
    return { items: all.sort(newestFirst).slice(skip, skip + pageSize), total: all.length };
  }
  const ofDay = async (day: string) => (await dayEntries(models, list, day, ROW)).filter(inRange);
  // the list's days in range, newest first; the days `from` and `to` fall in are counted exactly
  const fromDay = from?.slice(0, 10);
  const toDay = to?.slice(0, 10);
  const days: { day: string; n: number; entries?: CaseListEntry[] }[] = await calendar(models, list, fromDay, toDay);
  await Promise.all(
    days
      .filter(({ day }) => day === fromDay || day === toDay)
      .map(async (d) => {
        d.entries = await ofDay(d.day);
        d.n = d.entries.length;
      }),
  );
  const total = days.reduce((sum, d) => sum + d.n, 0);
  // the days the page falls on: from the first entry it skips into to its last
  const onPage: { d: (typeof days)[number]; before: number }[] = [];
  let before = 0;
  for (const d of days) {
    if (before + d.n > skip) onPage.push({ d, before });
    before += d.n;
    if (before >= skip + pageSize) break;
  }
  // the page's days at once: where cases are few a day, a page spans many
  const parts = await Promise.all(
    onPage.map(async ({ d, before }) =>
      (d.entries ?? (await ofDay(d.day))).sort(newestFirst).slice(Math.max(0, skip - before), skip + pageSize - before),
    ),
  );
  return { items: parts.flat(), total };
}

/** The entries on a live key (`queue:<unit>`, `desk`, `supervision`, `late…`): the work in hand. */
export function liveEntries(models: CaseListModels, key: string): Promise<CaseListEntry[]> {
  return models.entries.find({ keys: key }, { keys: 0, counted: 0, duties: 0 }).lean<CaseListEntry[]>();
}

/** Entries and count documents built in memory from many cases, for a bulk load (rebuild, bench fill). */
/** A case's list entry as a load writes it: its day keys already counted. */
export function loadedListEntry(c: WhistleCase, lastSeq: number, at: string): CaseListEntry {
  const entry = listEntry(c, lastSeq, at);
  return { ...entry, counted: dayKeys(entry.keys) };
}

/** The count documents of loaded entries, tallied as they are added (a whole load: the layout's marker too). */
export class ListCountTally {
  private readonly tally = new Map<string, number>();

  add(entry: CaseListEntry): void {
    for (const k of entry.counted) this.tally.set(k, (this.tally.get(k) ?? 0) + 1);
  }

  counts(): ListCountDoc[] {
    const docs = new Map<string, ListCountDoc>();
    for (const [key, n] of this.tally) {
      const { _id, fields, day } = countSlot(key);
      const doc = docs.get(_id) ?? { _id, ...fields, days: {} };
      doc.days[day] = n;
      docs.set(_id, doc);
    }
    return [...docs.values(), LAYOUT_MARKER];
  }

  /**
   * Writes the tallied counts: documents not there yet inserted (in batches), those a running
   * system already has (an open tally's grid, the marker) added to, so a load beside live cases
   * counts both.
   */
  async write(counts: Model<ListCountDoc>, batch = 1_000): Promise<void> {
    const there = new Set((await counts.find({}, { _id: 1 }).lean()).map((d) => d._id));
    const docs = this.counts();
    const fresh = docs.filter((d) => !there.has(d._id));
    for (let i = 0; i < fresh.length; i += batch)
      await counts.insertMany(fresh.slice(i, i + batch), { ordered: false, lean: true });
    for (const d of docs.filter((x) => there.has(x._id) && x._id !== LAYOUT_MARKER._id)) {
      const by = Object.fromEntries(Object.entries(d.days).map(([field, n]) => [`days.${field}`, n]));
      await countLock.acquire(d._id, () => counts.updateOne({ _id: d._id }, { $inc: by }));
    }
  }
}

export class CaseListLoad {
  readonly entries: CaseListEntry[] = [];
  private readonly tally = new ListCountTally();

  add(c: WhistleCase, lastSeq: number, at: string): void {
    const entry = loadedListEntry(c, lastSeq, at);
    this.tally.add(entry);
    this.entries.push(entry);
  }

  counts(): ListCountDoc[] {
    return this.tally.counts();
  }

  /** Inserts the entries (in batches) and the counts, into empty collections. */
  async insert(models: CaseListModels, batch = 1_000): Promise<void> {
    for (let i = 0; i < this.entries.length; i += batch)
      await models.entries.insertMany(this.entries.slice(i, i + batch), { ordered: false, lean: true });
    await this.tally.write(models.counts, batch);
  }
}

/**
 * Lays the list entries and counts anew from the projection: the whole collection is read once.
 * Run at the worker's start when the projection has cases and the lists have none (a deployment from
 * before the lists), or by `npm run lists:rebuild` (dev/rebuild-lists.ts, the worker stopped).
 */
export async function rebuildCaseList(cases: CaseProjectionModel, models: CaseListModels): Promise<number> {
  await models.entries.deleteMany({});
  await models.counts.deleteMany({});
  const load = new CaseListLoad();
  for await (const doc of cases.find({}).lean().cursor()) load.add(doc, doc.lastSeq, doc.updatedAt);
  await load.insert(models);
  return load.entries.length;
}

/**
 * At start-up: lays the lists anew once if their layout's marker is missing and the projection has
 * cases (a deployment from before the lists or before the open tally); marks an empty deployment's.
 */
export async function ensureCaseList(cases: CaseProjectionModel, models: CaseListModels): Promise<number> {
  if (await models.counts.findById(LAYOUT_MARKER._id, { _id: 1 }).lean()) return 0;
  if (await cases.findOne({}, { _id: 1 }).lean()) return rebuildCaseList(cases, models);
  const { _id, ...marker } = LAYOUT_MARKER;
  await models.counts.updateOne({ _id }, { $set: marker }, { upsert: true });
  return 0;
}

/** Open cases and, of them, overdue ones, per township grid (`gridId` `''`: raised without a grid). */
export interface OpenCount {
  townshipId: string;
  gridId: string;
  open: number;
  overdue: number;
}

/** The open tally: one small document per township grid that has had an open case. */
export async function openCaseCounts(models: CaseListModels, townshipId?: string): Promise<OpenCount[]> {
  const docs = await models.counts
    .find({ list: OPEN_TALLY, ...(townshipId === undefined ? {} : { townshipId }) })
    .lean<ListCountDoc[]>();
  return docs
    .map((d) => ({
      townshipId: d.townshipId ?? '',
      gridId: d.gridId ?? '',
      open: d.days.open ?? 0,
      overdue: d.days.overdue ?? 0,
    }))
    .filter((c) => c.open > 0);
}
