/**
 * The statistics' rollups: the tallies of domain/stats.ts added up per calendar month (`m:<kind>:
 * YYYY-MM`) and per day (`d:<kind>:YYYY-MM-DD`), one document each holding every unit of its kind
 * (department, township, matter) by urgency. A year's figures read twelve documents, a month's
 * ranking one, whatever the number of cases; a period that cuts a month reads its days.
 *
 * One writer. FerretDB 1.x applies `$inc` by reading the document and writing it back outside a
 * lock, so the recording activities (one per case, running at once) cannot add to a shared rollup.
 * They only stamp each case's facts with the minute they wrote them (store/case-facts.ts); the fold
 * (`foldRollups`, run by the Temporal Schedule `stats-rollup` every minute, never two at once)
 * reads the facts changed since it last ran — one equality query per minute — takes each case's
 * previous contribution out (kept in `stats_folded`, one document per case) and puts the new one
 * in. A run is idempotent: it first marks its cases with its run number (the case's record and the
 * one it replaces), then adds each rollup document's share once (a document records the last run
 * that wrote it), then moves the watermark (`through`, the first minute not yet folded).
 *
 * Reads are exact and fresh: the rollups as of the watermark, less the folded contribution and plus
 * the current facts of the cases written since (from the fold's lookback on: ten minutes or so of
 * changes, a few documents in a county's normal day). A read that overlaps a
 * fold sees a document of a newer run and reads again. Without a watermark yet (before the first
 * run, which builds every rollup from all the facts: a deployment that had facts before rollups), or
 * with the fold more than two hours behind, the caller reads the facts as before.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import {
  addInto,
  emptyTallies,
  TALLY_KINDS,
  talliesOf,
  type CaseRecord,
  type StatsFilter,
  type Tallies,
  type TallyKind,
} from '../domain/stats';
import { caseFactsModel, minuteOf, type CaseFactsDoc, type CaseFactsModel } from './case-facts';

/** `units[unitId][urgency]` = the unit's tally for the cases of that urgency. */
type Units = Record<string, Record<string, object>>;

interface RollupDoc {
  _id: string;
  run: number;
  units: Units;
}

interface FoldState {
  _id: 'state';
  run: number;
  /** the first minute (UTC, YYYY-MM-DDTHH:MM) not yet folded */
  through: string;
  /** a run that has marked its cases and not yet finished */
  next?: { run: number; through: string };
}

interface FoldedDoc {
  _id: string;
  /** the run that folded this record */
  run: number;
  record: CaseRecord;
  /** the record it replaced in the rollups (null: the case was new to them) */
  prev: CaseRecord | null;
}

const rollupSchema = new Schema<RollupDoc>(
  { _id: { type: String, required: true }, run: Number, units: Schema.Types.Mixed },
  { versionKey: false, minimize: false, collection: 'stats_rollups' },
);
const stateSchema = new Schema<FoldState>(
  { _id: { type: String, required: true }, run: Number, through: String, next: Schema.Types.Mixed },
  { versionKey: false, minimize: false, collection: 'stats_fold_state' },
);
const foldedSchema = new Schema<FoldedDoc>(
  {
    _id: { type: String, required: true },
    run: { type: Number, index: true },
    record: Schema.Types.Mixed,
    prev: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false, collection: 'stats_folded' },
);

export interface RollupModels {
  facts: CaseFactsModel;
  rollups: Model<RollupDoc>;
  state: Model<FoldState>;
  folded: Model<FoldedDoc>;
}

export function rollupModels(connection: Connection): RollupModels {
  const model = <T>(name: string, schema: Schema<T>) =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return {
    facts: caseFactsModel(connection),
    rollups: model('StatsRollup', rollupSchema),
    state: model('StatsFoldState', stateSchema),
    folded: model('StatsFolded', foldedSchema),
  };
}

const MINUTE = 60_000;
/** minutes the fold reads again behind its watermark (a write stamped just before it, landing late) */
const LOOKBACK_MINUTES = 10;
/** a fold further behind than this is not merged at read time: the caller reads the facts */
const MAX_PENDING_MINUTES = 120 + LOOKBACK_MINUTES;

const minutesFrom = (from: string, until: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}:00Z`); t < Date.parse(`${until}:00Z`); t += MINUTE) out.push(minuteOf(new Date(t)));
  return out;
};

const recordOf = (d: Pick<CaseFactsDoc, 'facts' | 'marks'>): CaseRecord => ({ facts: d.facts, marks: d.marks ?? {} });
const sameRecord = (a: CaseRecord | null | undefined, b: CaseRecord) => JSON.stringify(a) === JSON.stringify(b);

const unitsOf = (t: Tallies, kind: TallyKind) => t[kind] as Record<string, object>;

/*
 * A histogram is stored as one string ("<tenths>:<count> …"): a year's department rollups hold a
 * value for nearly every case (minutes to a tenth rarely repeat), and FerretDB decodes one string
 * far faster than as many object fields.
 */
const HISTOGRAMS = new Set(['reportTime', 'resolveTime', 'verificationTime']);
const isHistogram = (key: string) => HISTOGRAMS.has(key);
type Cells = Record<string, Record<string, unknown>>;

function mapTallies(units: Units, f: (value: unknown) => unknown): Units {
  return Object.fromEntries(
    Object.entries(units).map(([unit, cells]) => [
      unit,
      Object.fromEntries(
        Object.entries(cells as Cells).map(([urgency, tally]) => [
          urgency,
          Object.fromEntries(Object.entries(tally).map(([k, v]) => [k, isHistogram(k) ? f(v) : v])),
        ]),
      ),
    ]),
  );
}
const encodeUnits = (units: Units) =>
  mapTallies(units, (h) =>
    Object.entries(h as Record<string, number>)
      .map(([k, n]) => `${k}:${n}`)
      .join(' '),
  );
const decodeUnits = (units: Units | undefined) =>
  mapTallies(units ?? {}, (h) =>
    typeof h !== 'string'
      ? h
      : Object.fromEntries(
          h
            .split(' ')
            .filter(Boolean)
            .map((pair) => pair.split(':').map(Number) as [number, number]),
        ),
  );

/** The rollup documents a case's record counts in, with its tallies there (times `sign`). */
function addRecord(docs: Map<string, Units>, record: CaseRecord, sign: 1 | -1): void {
  const tallies = talliesOf(record);
  const { day, month, urgency } = record.facts;
  for (const kind of TALLY_KINDS)
    for (const [unit, tally] of Object.entries(unitsOf(tallies, kind)))
      for (const id of [`m:${kind}:${month}`, `d:${kind}:${day}`]) {
        const units = docs.get(id) ?? {};
        const cells = (units[unit] ??= {});
        cells[urgency] = addInto(cells[urgency] ?? {}, tally, sign);
        docs.set(id, units);
      }
}

/** Adds `delta` (times `sign`) into `units`, dropping units left with nothing and histogram buckets left at 0. */
function applyUnits(units: Units, delta: Units, sign: 1 | -1 = 1): Units {
  for (const [unit, cells] of Object.entries(delta)) {
    const into = (units[unit] ??= {});
    for (const [urgency, tally] of Object.entries(cells)) {
      const sum = addInto(into[urgency] ?? {}, tally, sign) as Record<string, unknown>;
      if (sum.n === 0 || sum.used === 0) delete into[urgency];
      else into[urgency] = withoutEmptyBuckets(sum);
    }
    if (Object.keys(into).length === 0) delete units[unit];
  }
  return units;
}

function withoutEmptyBuckets<T extends Record<string, unknown>>(tally: T): T {
  for (const value of Object.values(tally))
    if (value && typeof value === 'object')
      for (const [bucket, n] of Object.entries(value as Record<string, unknown>))
        if (/^\d+$/.test(bucket) && n === 0) delete (value as Record<string, unknown>)[bucket];
  return tally;
}

export interface FoldResult {
  run: number;
  /** cases whose contribution changed in this run */
  cases: number;
  /** rollup documents written */
  documents: number;
  through: string;
  rebuilt: boolean;
}

/**
 * Folds the facts changed since the last run into the rollups (see the file's comment). The first
 * run builds every rollup from all the facts: a deployment with facts and no rollups gets them then.
 */
export async function foldRollups(m: RollupModels, now = new Date()): Promise<FoldResult> {
  const state = await m.state.findById('state').lean<FoldState>();
  if (!state) return rebuildRollups(m, now);
  const through = state.next?.through ?? minuteOf(new Date(now.getTime() - 10_000));
  const run = state.run + 1;
  if (!state.next) {
    // mark: each changed case gets this run's number, its record and the one the rollups hold
    const from = minuteOf(new Date(Date.parse(`${state.through}:00Z`) - LOOKBACK_MINUTES * MINUTE));
    const changed = (await Promise.all(minutesFrom(from, through).map((minute) => m.facts.find({ minute }).lean())))
      .flat()
      .filter((d) => (d.minute ?? '') < through);
    for (const doc of changed) {
      const folded = await m.folded.findById(doc._id).lean<FoldedDoc>();
      const record = recordOf(doc);
      const prev = folded?.run === run ? folded.prev : (folded?.record ?? null);
      if (folded?.run !== run && sameRecord(folded?.record, record)) continue;
      await m.folded.replaceOne({ _id: doc._id }, { _id: doc._id, run, record, prev }, { upsert: true });
    }
    await m.state.updateOne({ _id: 'state' }, { $set: { next: { run, through } } });
  }
  // add: each rollup document's share once (a document already written by this run has it)
  const marked = await m.folded.find({ run }).lean<FoldedDoc[]>();
  const deltas = new Map<string, Units>();
  for (const f of marked) {
    if (f.prev) addRecord(deltas, f.prev, -1);
    addRecord(deltas, f.record, 1);
  }
  let documents = 0;
  for (const [id, delta] of deltas) {
    const doc = await m.rollups.findById(id).lean<RollupDoc>();
    if (doc?.run === run) continue;
    await m.rollups.replaceOne(
      { _id: id },
      { _id: id, run, units: encodeUnits(applyUnits(decodeUnits(doc?.units), delta)) },
      { upsert: true },
    );
    documents += 1;
  }
  await m.state.replaceOne({ _id: 'state' }, { _id: 'state', run, through });
  return { run, cases: marked.length, documents, through, rebuilt: false };
}

/** Every rollup from all the facts (a one-off scan): the first run, or after the rollups were dropped. */
export async function rebuildRollups(m: RollupModels, now = new Date()): Promise<FoldResult> {
  const through = minuteOf(now);
  const run = 1;
  await Promise.all([m.rollups.deleteMany({}), m.folded.deleteMany({}), m.state.deleteMany({})]);
  const docs = new Map<string, Units>();
  let batch: FoldedDoc[] = [];
  let cases = 0;
  for await (const doc of m.facts.find({}, { facts: 1, marks: 1 }).lean().cursor()) {
    const record = recordOf(doc);
    addRecord(docs, record, 1);
    batch.push({ _id: String(doc._id), run, record, prev: null });
    cases += 1;
    if (batch.length === 1000) {
      await m.folded.insertMany(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await m.folded.insertMany(batch);
  const rollups = [...docs].map(([id, units]) => ({ _id: id, run, units: encodeUnits(applyUnits({}, units)) }));
  for (let i = 0; i < rollups.length; i += 100) await m.rollups.insertMany(rollups.slice(i, i + 100));
  await m.state.create({ _id: 'state', run, through });
  return { run, cases, documents: rollups.length, through, rebuilt: true };
}

/**
 * The rollup documents that cover a period, each with the sign it is added with: a whole month's;
 * for a month the period cuts, its days in the period, or the month less its days outside the
 * period where those are fewer (a period to the 28th reads the month and takes three days off it,
 * not 28 days: counts and histograms subtract exactly).
 */
function documentIds(kind: TallyKind, from: string, to: string): { id: string; sign: 1 | -1 }[] {
  const ids: { id: string; sign: 1 | -1 }[] = [];
  for (let d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`); d.toISOString().slice(0, 10) <= to;) {
    const month = d.toISOString().slice(0, 7);
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    const days: string[] = [];
    for (let day = new Date(d); day < next; day = new Date(day.getTime() + 86_400_000))
      days.push(day.toISOString().slice(0, 10));
    const inside = days.filter((date) => date >= from && date <= to);
    const outside = days.filter((date) => date < from || date > to);
    const dayDoc = (sign: 1 | -1) => (date: string) => ({ id: `d:${kind}:${date}`, sign });
    if (outside.length + 1 < inside.length) ids.push({ id: `m:${kind}:${month}`, sign: 1 }, ...outside.map(dayDoc(-1)));
    else ids.push(...inside.map(dayDoc(1)));
    d = next;
  }
  return ids;
}

/** What the rollups can answer: the period and urgency, and the unit of the kind asked for. */
export type RollupFilter = Pick<StatsFilter, 'from' | 'to' | 'urgency'>;

/**
 * One kind's tallies for the period (and urgency), exact as of now; undefined when there are no
 * rollups yet or the fold is too far behind (read the facts instead).
 */
export async function rollupTallies<K extends TallyKind>(
  m: RollupModels,
  kind: K,
  filter: RollupFilter,
  now = new Date(),
): Promise<Tallies[K] | undefined> {
  const counts = (r: CaseRecord) =>
    r.facts.day >= filter.from && r.facts.day <= filter.to && (!filter.urgency || r.facts.urgency === filter.urgency);
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = await m.state.findById('state').lean<FoldState>();
    if (!state) return undefined;
    // from the fold's lookback on: a write stamped before the watermark that landed after it is read too
    const since = minuteOf(new Date(Date.parse(`${state.through}:00Z`) - LOOKBACK_MINUTES * MINUTE));
    const pendingMinutes = minutesFrom(since, minuteOf(new Date(now.getTime() + 2 * MINUTE)));
    if (pendingMinutes.length > MAX_PENDING_MINUTES) return undefined;
    const ids = documentIds(kind, filter.from, filter.to);
    const [docs, pending] = await Promise.all([
      Promise.all(ids.map(({ id }) => m.rollups.findById(id).lean<RollupDoc>())),
      Promise.all(pendingMinutes.map((minute) => m.facts.find({ minute }, { facts: 1, marks: 1 }).lean())).then(
        (found) => found.flat(),
      ),
    ]);
    if (docs.some((d) => d && d.run > state.run)) continue; // a fold wrote meanwhile: read again
    const folded = await Promise.all(pending.map((d) => m.folded.findById(d._id).lean<FoldedDoc>()));
    // the added documents first, then the days taken off: a unit whose cases all fell on those days goes
    const summed: Units = {};
    for (const sign of [1, -1] as const)
      docs.forEach((doc, i) => {
        if (ids[i]!.sign === sign) applyUnits(summed, decodeUnits(doc?.units), sign);
      });
    const total = emptyTallies()[kind] as Record<string, object>;
    for (const [unit, cells] of Object.entries(summed))
      for (const [urgency, tally] of Object.entries(cells))
        if (!filter.urgency || urgency === filter.urgency) total[unit] = addInto(total[unit] ?? {}, tally);
    pending.forEach((doc, i) => {
      const f = folded[i];
      // what the rollups hold for this case as of the watermark's run
      const held = f ? (f.run <= state.run ? f.record : f.prev) : null;
      if (held && counts(held))
        for (const [unit, tally] of Object.entries(unitsOf(talliesOf(held), kind)))
          total[unit] = addInto(total[unit] ?? {}, tally, -1);
      const record = recordOf(doc);
      if (counts(record))
        for (const [unit, tally] of Object.entries(unitsOf(talliesOf(record), kind)))
          total[unit] = addInto(total[unit] ?? {}, tally);
    });
    return total as Tallies[K];
  }
  return undefined;
}
