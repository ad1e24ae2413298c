/**
 * The scale mode's fill: a county's year of cases, each lived on paper by the domain's rules
 * (PaperCase) across the demo county's townships, matters and departments, and stored exactly as
 * the recording activity stores them — the audit chain, the projection, the outbox batches (kept,
 * delivered), the statistics' case facts, the overdue feed — through the store's own models and
 * document builders, in bulk. Old cases are mostly
 * closed (and re-inspected); recent ones are at every stage; cases left open past their limits have
 * their warnings, breaches and rungs recorded, as the clock followers would have.
 */
import type { Connection } from 'mongoose';
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
import { PaperCase } from './paper-case';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FLUSH_EVERY = 2000; // documents per insertMany

/** A number in [0, 1) fixed by the case's index and a salt: the fill is the same on every run. */
const chance = (i: number, salt: number) => (((i + 1) * 2654435761 + salt * 40503) % 2 ** 32) / 2 ** 32;

export interface FillReport {
  cases: number;
  events: number;
  notificationBatches: number;
  seconds: number;
  /** of which: living the cases by the rules and building their documents, and waiting for the database */
  livingSeconds: number;
  writingSeconds: number;
  byStatus: Record<string, number>;
  overdue: number;
}

/** Fills `n` cases raised over the 330 days before `end`; `say` hears progress. */
export async function fill(store: Connection, n: number, end: Date, say: (m: string) => void): Promise<FillReport> {
  const started = performance.now();
  const { townships } = demoCounty();
  const matters = (await new ResponsibilityList(store).current()).filter((m) => !m.retired);
  const listVersion = await new ResponsibilityList(store).listVersion();
  const models = {
    events: auditEventModel(store),
    cases: caseProjectionModel(store),
    outbox: outboxModel(store),
    facts: caseFactsModel(store),
    feed: overdueFeedModel(store),
  };
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
    seconds: 0,
    livingSeconds: 0,
    writingSeconds: 0,
    byStatus: {},
    overdue: 0,
  };
  let writing = 0;
  const pending = {
    events: [] as object[],
    cases: [] as object[],
    outbox: [] as BatchDoc[],
    facts: [] as object[],
    feed: [] as object[],
  };
  const writes: Promise<unknown>[] = [];
  const flush = async (force = false) => {
    for (const key of ['events', 'cases', 'outbox', 'facts', 'feed'] as const) {
      if (pending[key].length === 0 || (!force && pending[key].length < FLUSH_EVERY)) continue;
      const docs = pending[key].splice(0);
      const model = models[key] as unknown as { insertMany(d: object[], o: object): Promise<unknown> };
      // lean: the documents are the store's own, built by its functions; mongoose need not hydrate them
      writes.push(model.insertMany(docs, { ordered: false, lean: true }));
    }
    // a few writes in flight: the database is the bottleneck, the CPU is shared
    const waitFrom = performance.now();
    while (writes.length > 4) await writes.shift();
    if (force) await Promise.all(writes.splice(0));
    writing += performance.now() - waitFrom;
  };

  const first = end.getTime() - 330 * DAY;
  for (let i = 0; i < n; i++) {
    const raisedAt = new Date(first + Math.floor((i * 330 * DAY) / n));
    const tw = townships[i % townships.length]!;
    const matter = matters[(i * 7) % matters.length]!;
    const p = live(i, raisedAt, end, tw.id, matter, { listVersion, account, dispatcher });
    const batches = p.recorded();
    let link = GENESIS_HASH;
    for (const { events, projection } of batches) {
      const docs = chainedDocs(events, link);
      link = docs.at(-1)!.hash;
      pending.events.push(...docs);
      const recordedAt = new Date(events.at(-1)!.at);
      const outbox = batchDoc(events, projection, recordedAt);
      if (outbox) pending.outbox.push(delivered(outbox, recordedAt));
      pending.feed.push(
        ...feedDocs(feedRows(events, projection, departmentsInScope(projection)), recordedAt.getTime()),
      );
    }
    const all = batches.flatMap((b) => b.events);
    const last = all.at(-1)!;
    pending.cases.push({ _id: p.state.caseId, ...projectionDoc(p.state, last.seq, last.at) });
    pending.facts.push(factsDoc(all, p.state));
    report.cases++;
    report.events += last.seq;
    report.notificationBatches += batches.length;
    report.byStatus[p.state.status] = (report.byStatus[p.state.status] ?? 0) + 1;
    if ((pending.cases.at(-1) as { overdue: boolean }).overdue) report.overdue++;
    await flush();
    if ((i + 1) % 10_000 === 0) say(`filled ${i + 1} of ${n} cases (${report.events} events)`);
  }
  await flush(true);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  report.seconds = seconds(performance.now() - started);
  report.writingSeconds = seconds(writing);
  report.livingSeconds = Math.round((report.seconds - report.writingSeconds) * 10) / 10;
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
