/**
 * The scale mode's fill: a county's year of cases, each lived on paper by the domain's rules
 * (PaperCase) across the demo county's townships, matters and departments, and stored exactly as
 * the recording activity stores them — the audit chain, the projection, the outbox batches (kept,
 * delivered), the statistics' case facts, the overdue feed — through the store's own models and
 * document builders, in bulk. Old cases are mostly
 * closed (and re-inspected); recent ones are at every stage; cases left open past their limits have
 * their warnings, breaches and rungs recorded, as the clock followers would have.
 */
import type { Connection, Model } from 'mongoose';
import { caseListModels, ListCountTally, loadedListEntry, type CaseListEntry } from '../store/case-list';
import { rebuildRollups, rollupModels } from '../store/stats-rollups';
import { demoAccount, demoCounty } from '../dev/demo-county/load';
import { CURRENT_CALENDAR_VERSION } from '../domain/calendars';
import { openEvaluation, closeCase } from '../domain/evaluation';
import type { Actor } from '../domain/identity';
import { armed, dueNotice, reinspectionDays, silentNoRecurrence } from '../domain/reinspection';
import { route } from '../domain/routing';
import type { Matter } from '../domain/responsibility-list/schemas';
import type { Routed } from '../domain/dispatch';
import { auditEventModel, chainedDocs } from '../store/audit-events';
import { GENESIS_HASH } from '../store/audit-chain';
import { caseProjectionModel, projectionDoc } from '../store/case-projections';
import { batchDoc, outboxModel, type BatchDoc } from '../store/outbox';
import { ResponsibilityList } from '../store/responsibility-list';
import { caseFactsModel, factsDoc } from '../store/case-facts';
import { feedDocs, overdueFeedModel } from '../store/overdue-feed';
import { departmentsInScope } from '../domain/access';
import { feedRows } from '../domain/overdue-feed';
import { FerretDbCopy, sjson } from './ferretdb-copy';
import { PaperCase } from './paper-case';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FLUSH_EVERY = 5000; // documents a write (one insertMany, or one COPY)
const IN_FLIGHT = 3; // writes under way while the next cases are lived: the database works while the fill computes

/** A number in [0, 1) fixed by the case's index and a salt: the fill is the same on every run. */
const chance = (i: number, salt: number) => (((i + 1) * 2654435761 + salt * 40503) % 2 ** 32) / 2 ** 32;

type Doc = Record<string, unknown>;

/**
 * Every collection the fill writes, with its store model: a read model added to the recording
 * activity gets its row here and its documents in `caseDocuments`.
 */
const FILLED = {
  events: auditEventModel,
  cases: caseProjectionModel,
  outbox: outboxModel,
  facts: caseFactsModel,
  feed: overdueFeedModel,
  list: (c: Connection) => caseListModels(c).entries,
} satisfies Record<string, (c: Connection) => unknown>;
type Filled = keyof typeof FILLED;

/**
 * The one place a lived case becomes documents, exactly as the recording activity would have
 * stored its batches (the store's own builders): its audit chain, projection, outbox batches (kept,
 * delivered), statistics' facts and overdue feed.
 */
export function caseDocuments(p: PaperCase): Record<Filled, Doc[]> {
  const docs: Record<Filled, Doc[]> = { events: [], cases: [], outbox: [], facts: [], feed: [], list: [] };
  const batches = p.recorded();
  let link = GENESIS_HASH;
  for (const { events, projection } of batches) {
    const chained = chainedDocs(events, link);
    link = chained.at(-1)!.hash;
    docs.events.push(...(chained as unknown as Doc[]));
    const recordedAt = new Date(events.at(-1)!.at);
    const outbox = batchDoc(events, projection, recordedAt);
    if (outbox) docs.outbox.push(delivered(outbox, recordedAt) as unknown as Doc);
    docs.feed.push(
      ...(feedDocs(
        feedRows(events, projection, departmentsInScope(projection)),
        recordedAt.getTime(),
      ) as unknown as Doc[]),
    );
  }
  const all = batches.flatMap((b) => b.events);
  const last = all.at(-1)!;
  docs.cases.push({ _id: p.state.caseId, ...projectionDoc(p.state, last.seq, last.at) });
  docs.facts.push(factsDoc(all, p.state) as unknown as Doc);
  docs.list.push(loadedListEntry(p.state, last.seq, last.at) as unknown as Doc);
  return docs;
}

export interface FillReport {
  cases: number;
  events: number;
  notificationBatches: number;
  /** every document written, all collections */
  documents: number;
  seconds: number;
  /** of which: living the cases by the rules and building their documents, waiting for the database, indexing after */
  livingSeconds: number;
  writingSeconds: number;
  indexSeconds: number;
  /** how the documents reached the database */
  path: string;
  byStatus: Record<string, number>;
  overdue: number;
}

export interface FillOptions {
  /**
   * FerretDB's PostgreSQL (its Unix socket folder and the MongoDB database's name): documents go in
   * by COPY in FerretDB's storage format (bench/ferretdb-copy.ts). Without it, through the driver.
   */
  ferretDbCopy?: { socketDir: string; database: string };
}

/**
 * Fills `n` cases raised over the 330 days before `end`; `say` hears progress. The filled
 * collections' secondary indexes are dropped for the load and built again after it from the
 * models' declarations (a bulk load into an index costs more than building it once).
 */
export async function fill(
  store: Connection,
  n: number,
  end: Date,
  say: (m: string) => void,
  options: FillOptions = {},
): Promise<FillReport> {
  const started = performance.now();
  const { townships } = demoCounty();
  const matters = (await new ResponsibilityList(store).current()).filter((m) => !m.retired);
  const listVersion = await new ResponsibilityList(store).listVersion();
  const models = Object.fromEntries(Object.entries(FILLED).map(([k, model]) => [k, model(store)])) as unknown as Record<
    Filled,
    Model<Doc>
  >;
  for (const model of Object.values(models)) {
    await model.createCollection().catch(() => {}); // exists already
    await model.collection.dropIndexes(); // every index but _id's
  }
  const copy = options.ferretDbCopy && new FerretDbCopy(options.ferretDbCopy.socketDir, options.ferretDbCopy.database);
  // a case's documents are encoded as soon as they are built: only their rows wait for the write
  const encode = copy ? sjson : (doc: Doc) => doc;
  const write = (key: Filled, rows: unknown[]): Promise<unknown> =>
    copy
      ? copy.copy(models[key].collection.collectionName, rows as string[])
      : // lean: the documents are the store's own, built by its functions; mongoose need not hydrate them
        models[key].insertMany(rows as Doc[], { ordered: false, lean: true });

  const accounts = new Map<string, string>();
  const account = (role: 'township' | 'department', org: string) => {
    if (!accounts.has(org)) {
      let id: string;
      try {
        id = demoAccount(role, org);
      } catch {
        id = `acc-${org}-officer`; // a department the demo county has no account for
      }
      accounts.set(org, id);
    }
    return { accountId: accounts.get(org)!, role, orgUnitId: org } as Actor;
  };
  const dispatcher: Actor = { accountId: demoAccount('dispatcher', undefined), role: 'dispatcher' };
  const report: FillReport = {
    cases: 0,
    events: 0,
    notificationBatches: 0,
    documents: 0,
    seconds: 0,
    livingSeconds: 0,
    writingSeconds: 0,
    indexSeconds: 0,
    path: copy ? "COPY into FerretDB's tables, in its storage format" : "the store's models (insertMany)",
    byStatus: {},
    overdue: 0,
  };
  let writing = 0;
  const pending = Object.fromEntries(Object.keys(FILLED).map((k) => [k, [] as unknown[]])) as Record<Filled, unknown[]>;
  const writes: Promise<unknown>[] = [];
  const flush = async (force = false) => {
    for (const key of Object.keys(FILLED) as Filled[]) {
      if (pending[key].length === 0 || (!force && pending[key].length < FLUSH_EVERY)) continue;
      writes.push(write(key, pending[key].splice(0)));
    }
    const waitFrom = performance.now();
    while (writes.length > IN_FLIGHT) await writes.shift();
    if (force) await Promise.all(writes.splice(0));
    writing += performance.now() - waitFrom;
  };

  const listCounts = new ListCountTally();
  const first = end.getTime() - 330 * DAY;
  for (let i = 0; i < n; i++) {
    const raisedAt = new Date(first + Math.floor((i * 330 * DAY) / n));
    const tw = townships[i % townships.length]!;
    const matter = matters[(i * 7) % matters.length]!;
    const p = live(i, raisedAt, end, tw.id, matter, { listVersion, account, dispatcher });
    const docs = caseDocuments(p);
    listCounts.add(docs.list[0] as unknown as CaseListEntry);
    for (const key of Object.keys(docs) as Filled[]) {
      for (const doc of docs[key]) pending[key].push(encode(doc));
      report.documents += docs[key].length;
    }
    report.cases++;
    report.events += docs.events.length;
    report.notificationBatches += docs.outbox.length;
    report.byStatus[p.state.status] = (report.byStatus[p.state.status] ?? 0) + 1;
    if (docs.cases[0]!.overdue) report.overdue++;
    await flush();
    if ((i + 1) % 10_000 === 0) say(`filled ${i + 1} of ${n} cases (${report.documents} documents)`);
  }
  await flush(true);
  const indexFrom = performance.now();
  say('building the indexes');
  for (const model of Object.values(models)) await model.createIndexes();
  // the read models folded from the filled documents, as a deployment's first start builds them
  await listCounts.write(caseListModels(store).counts);
  say('building the statistics rollups');
  await rebuildRollups(rollupModels(store), end);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  report.indexSeconds = seconds(performance.now() - indexFrom);
  report.seconds = seconds(performance.now() - started);
  report.writingSeconds = seconds(writing);
  report.livingSeconds = Math.round((report.seconds - report.writingSeconds - report.indexSeconds) * 10) / 10;
  return report;
}

/** The batch as the courier leaves it: every entry delivered on the log channel, the batch kept. */
function delivered(batch: BatchDoc, at: Date): BatchDoc {
  const deliveredAt = at.toISOString();
  return {
    ...batch,
    entries: batch.entries.map((e) => ({ ...e, status: 'delivered', attempts: 1, channel: 'log', deliveredAt })),
    deliveredAt,
  };
}

interface Cast {
  listVersion: number;
  account: (role: 'township' | 'department', org: string) => Actor;
  dispatcher: Actor;
}

/** Case `i`'s life up to `end`: how far it got depends on its age and its chances. */
export function live(i: number, raisedAt: Date, end: Date, townshipId: string, matter: Matter, cast: Cast): PaperCase {
  const ageDays = (end.getTime() - raisedAt.getTime()) / DAY;
  const r = chance(i, 1);
  // old cases are mostly closed; a few stay stuck; recent ones are at every stage
  const stage =
    ageDays > 20
      ? r < 0.94
        ? 'closed'
        : r < 0.98
          ? 'in_progress'
          : 'awaiting_verification'
      : r < 0.25
        ? 'reporting'
        : r < 0.6
          ? 'in_progress'
          : r < 0.75
            ? 'awaiting_verification'
            : 'closed';
  const viaDesk = chance(i, 2) < 0.1;
  const urgency = chance(i, 3) < 0.05 ? 'urgent' : 'normal';
  const raiser = cast.account('township', townshipId);
  const raise = {
    ...(viaDesk ? {} : { matterCode: matter.code }),
    title: `${matter.name.zh} / case ${i}`,
    description: `${matter.name.en}, reported by a grid member`,
    urgency,
    location: { townshipId, address: `${townshipId} village road ${i % 97}` },
  } as const;
  const list = { listVersion: cast.listVersion, calendarVersion: CURRENT_CALENDAR_VERSION };
  const routed = route({ matterCode: matter.code, urgency }, { ...list, matter }) as Routed;
  const opening = viaDesk ? route({ urgency }, { ...list, deskHours: '24h' }) : routed;
  if ('kind' in opening && opening.kind === 'conflict') throw new Error(opening.reason);
  const year = new Date(raisedAt.getTime() + 8 * HOUR).getUTCFullYear();
  const p = new PaperCase(`case-fill-${i}`, raise, raiser, raisedAt, opening as Routed, `XILAN-${year}-F${i}`);
  const at = (hours: number) => new Date(raisedAt.getTime() + hours * HOUR);
  // what happens on one day is recorded as one batch (the workflow batches what piles up meanwhile)
  let day = Math.floor(raisedAt.getTime() / DAY);
  const sameDay = (when: Date) => {
    if (Math.floor(when.getTime() / DAY) !== day) p.flush();
    day = Math.floor(when.getTime() / DAY);
  };
  /** the action at `hours` after the raise, after the clocks have spoken */
  const step = (hours: number, act: (when: Date) => void) => {
    const when = at(hours);
    if (when > end) return false;
    p.clocksUntil(when);
    sameDay(when);
    act(when);
    return true;
  };
  const done = () => p.flush().clocksUntil(end);
  if (viaDesk) step(0.3, (w) => p.act('classify', cast.dispatcher, w, { routing: routed }));
  if (stage === 'reporting') {
    // some departments have reported already, some have not
    if (chance(i, 4) < 0.5)
      step(0.5, (w) => p.act('acknowledge', cast.account('department', matter.leadDepartmentId), w, {}));
    return done();
  }
  const departments = p.state.duties.map((d) => cast.account('department', d.departmentId));
  const lead = departments[0]!;
  departments.forEach((d, k) => step(0.4 + k * 0.2, (w) => p.act('acknowledge', d, w, {})));
  departments.forEach((d, k) => step(2 + k, (w) => p.act('arrive', d, w, {})));
  if (chance(i, 5) < 0.1) {
    const assignee = { kind: 'department', departmentId: lead.orgUnitId! } as const;
    const steps = [
      {
        key: 'a',
        title: '现场检查 / inspection',
        kind: 'inspection',
        assignee,
        limit: { amount: 1, unit: 'working_day' },
        dependsOn: [],
      },
    ] as const;
    step(5, (w) => p.act('plan', lead, w, { steps: steps.map((s) => ({ ...s, dependsOn: [] })) }));
    step(6, (w) => p.act('completeStep', lead, w, { key: 'a', note: '已检查 / inspected', evidence: [] }));
  }
  step(28, (w) => p.act('progress', raiser, w, { note: '现场已固定证据 / evidence fixed', evidence: [] }));
  if (stage === 'in_progress') return done();
  const resolve = (h: number) =>
    step(h, (w) => p.act('resolve', lead, w, { summary: '已整改 / rectified', evidence: [] }));
  resolve(72);
  if (stage === 'awaiting_verification') return done();
  let h = 96;
  if (chance(i, 6) < 0.12) {
    step(h, (w) => p.act('verify', raiser, w, { accept: false, reason: '未整改到位 / not rectified' }));
    resolve(h + 24);
    h += 48;
  }
  if (!step(h, (w) => p.act('verify', raiser, w, { accept: true }))) return done();
  p.change((c) => openEvaluation(c, at(h)));
  const ratings = p.state.duties.map((d) => ({ departmentId: d.departmentId, speed: 4, attitude: 5, result: 4 }));
  step(h + 2, (w) => p.act('evaluate', raiser, w, { ratings }));
  departments.forEach((d, k) => step(h + 3 + k, (w) => p.act('evaluate', d, w, { cooperation: 4 })));
  const closedAt = at(h + 3 + departments.length);
  if (closedAt > end) return done();
  sameDay(closedAt);
  p.move((c) => closeCase(c, closedAt, true), closedAt);
  if (reinspectionDays(p.state)) {
    p.move((c) => armed(c, closedAt), closedAt).flush();
    const due = new Date(p.state.reinspection!.dueAt);
    if (due < end) {
      p.move((c) => dueNotice(c, due), due).flush();
      const answerBy = new Date(p.state.reinspection!.answerBy);
      if (answerBy < end) p.move((c) => silentNoRecurrence(c, answerBy), answerBy);
    }
  }
  return p.flush();
}
