/**
 * `GET /api/v1/stats/*` and `/api/v1/rankings/*`: the supervisor's statistics and monthly rankings,
 * read from the rollups (store/stats-rollups.ts: one document per month, or per day of a month the
 * period cuts, whatever the number of cases) and computed by the pure rules of domain/stats.ts and
 * domain/ranking.ts. A filter the rollups do not keep (a township's cases in the department
 * figures, a matter, a department's cases in the township figures) reads the case facts of the
 * period's months instead (store/case-facts.ts), as does every read before the first fold. `?format=csv`
 * gives the same rows as a spreadsheet. Supervisors and admins read everything; a department reads
 * its own row, a township its own.
 */
import { Router, type Request, type Response } from 'express';
import { calendarByVersion, CURRENT_CALENDAR_VERSION } from '../../domain/calendars';
import { localDateOf, monthSpan } from '../../domain/calendar';
import type { Actor } from '../../domain/identity';
import { MIN_CASES, rank, WEIGHTS, type RankingInput } from '../../domain/ranking';
import {
  departmentRowsOf,
  inPeriod,
  matterCountsOf,
  sumTallies,
  townshipRowsOf,
  type StatsFilter,
  type Tallies,
  type TallyKind,
} from '../../domain/stats';
import { recordsOfMonths } from '../../store/case-facts';
import { rollupTallies, type RollupModels } from '../../store/stats-rollups';
import { openCaseCounts, type CaseListModels } from '../../store/case-list';
import type { GridReports } from '../../store/grid-reports';
import type { Organisation } from '../../store/organisation';
import type { ResponsibilityList } from '../../store/responsibility-list';
import { actorOf, requireRole } from '../http/authenticate';
import { sendCsv } from '../http/csv-export';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import { z } from 'zod';
import {
  DepartmentStatsQuery,
  DepartmentStatsView,
  MatterStatsQuery,
  MatterStatsView,
  MAX_PERIOD_DAYS,
  OpenStatsQuery,
  OpenStatsView,
  RankingQuery,
  RankingView,
  TownshipStatsQuery,
  TownshipStatsView,
} from './schemas';

const calendar = () => calendarByVersion(CURRENT_CALENDAR_VERSION);

/** Every month (YYYY-MM) from one local date to another. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to.slice(0, 7)) return months;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/** The period asked for, this month so far by default (local dates of the working calendar). */
function periodOf(q: { from?: string; to?: string }): { from: string; to: string } {
  const today = localDateOf(calendar(), new Date());
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  const from = q.from ?? `${to.slice(0, 7)}-01`;
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS || to < from) {
    const reason = `from ${from} to ${to}: a period of 0 to ${MAX_PERIOD_DAYS} days / 统计区间应为 0 至 ${MAX_PERIOD_DAYS} 天`;
    throw new HttpProblem(400, 'Bad Request', reason, { errors: [{ field: 'from', reason }] });
  }
  return { from, to };
}

/** A unit reads its own figures only: asking for another's is refused, its own filter is implied. */
function ownUnit(actor: Actor, role: 'department' | 'township', asked: string | undefined): string | undefined {
  if (actor.role !== role) return asked;
  if (asked && asked !== actor.orgUnitId)
    throw new HttpProblem(403, 'Forbidden', `a ${role} reads its own figures only / 仅可查看本单位数据`);
  return actor.orgUnitId;
}

/** A view's row as spreadsheet columns, nested fields as `a.b` (the header even when no row matched). */
function columnsOf(schema: z.ZodObject, prefix = ''): string[] {
  return Object.entries(schema.shape).flatMap(([k, v]) =>
    v instanceof z.ZodObject ? columnsOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** The row schema of a view `{ …, rows: [row] }`. */
const rowOf = (view: z.ZodObject) => (view.shape.rows as z.ZodArray<z.ZodObject>).element;

/** Nested fields as `a.b` columns, for a spreadsheet. */
function flatten(row: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.entries(flatten(v as object, `${prefix}${k}.`))
        : [[`${prefix}${k}`, v]],
    ),
  );
}

type Body = { rows: object[] } & Record<string, unknown>;

/** The rows as JSON, or as a spreadsheet (the rest of the body is in the file's name and the request). */
function send(res: Response, format: 'json' | 'csv', name: string, body: Body, row: z.ZodObject): void {
  if (format === 'json') {
    res.json(body);
    return;
  }
  const rows = body.rows.map((r) => flatten(r));
  const columns = columnsOf(row);
  sendCsv(
    res,
    `${name}.csv`,
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  );
}

export interface StatsDeps {
  rollups: RollupModels;
  lists: CaseListModels;
  gridReports: GridReports;
  org: Organisation;
  list: ResponsibilityList;
}

async function names(collection: Organisation['departments'] | Organisation['townships']) {
  const items = await collection.list({ includeRetired: true });
  const byId = new Map(items.map((i) => [i.id, i.name]));
  return (id: string) => byId.get(id) ?? { zh: id, en: id };
}

/** The filters each kind's rollup cannot answer (the unit's own filter picks its row). */
const beyondRollup: Record<TallyKind, (keyof StatsFilter)[]> = {
  departments: ['townshipId', 'matterCode'],
  townships: ['departmentId', 'matterCode'],
  matters: ['townshipId', 'departmentId'],
};

/** One kind's tallies for the filter: from the rollups where they answer it, else from the facts. */
async function talliesFor<K extends TallyKind>(
  rollups: RollupModels,
  kind: K,
  filter: StatsFilter,
): Promise<Tallies[K]> {
  const unitFilter = { departments: filter.departmentId, townships: filter.townshipId, matters: filter.matterCode }[
    kind
  ];
  const pick = (units: Tallies[K]) =>
    (unitFilter ? Object.fromEntries(Object.entries(units).filter(([id]) => id === unitFilter)) : units) as Tallies[K];
  if (!beyondRollup[kind].some((k) => filter[k])) {
    const rolled = await rollupTallies(rollups, kind, filter);
    if (rolled) return pick(rolled);
  }
  const records = inPeriod(await recordsOfMonths(rollups.facts, monthsBetween(filter.from, filter.to)), filter);
  return sumTallies(records)[kind];
}

const NO_GRID = { zh: '未划网格', en: 'no grid given' };

export function statsRoutes({ rollups, lists, gridReports, org, list }: StatsDeps): Router {
  const router = Router();

  router.get('/departments', requireRole('supervisor', 'admin', 'department'), async (req, res) => {
    const { format, ...q } = parse(DepartmentStatsQuery, req.query);
    const departmentId = ownUnit(actorOf(req), 'department', q.departmentId);
    const filter = { ...q, ...periodOf(q), ...(departmentId ? { departmentId } : {}) };
    const [units, nameOf] = await Promise.all([talliesFor(rollups, 'departments', filter), names(org.departments)]);
    const rows = departmentRowsOf(units, departmentId).map(({ departmentId: id, ...row }) => ({
      departmentId: id,
      name: nameOf(id),
      ...row,
    }));
    send(res, format, 'department-stats', { from: filter.from, to: filter.to, rows }, rowOf(DepartmentStatsView));
  });

  router.get('/townships', requireRole('supervisor', 'admin', 'township'), async (req, res) => {
    const { format, ...q } = parse(TownshipStatsQuery, req.query);
    const townshipId = ownUnit(actorOf(req), 'township', q.townshipId);
    const filter = { ...q, ...periodOf(q), ...(townshipId ? { townshipId } : {}) };
    const [units, nameOf, reports] = await Promise.all([
      talliesFor(rollups, 'townships', filter),
      names(org.townships),
      gridReports.count({ from: filter.from, to: filter.to, ...(townshipId ? { townshipId } : {}) }),
    ]);
    const counted = new Map(reports.map(({ townshipId: id, ...counts }) => [id, counts]));
    const rows = townshipRowsOf(units, counted).map(({ townshipId: id, ...row }) => ({
      townshipId: id,
      name: nameOf(id),
      ...row,
    }));
    send(res, format, 'township-stats', { from: filter.from, to: filter.to, rows }, rowOf(TownshipStatsView));
  });

  // open cases now, by township and grid, in the organisation's order (not a period: the work in hand)
  router.get('/open', requireRole('supervisor', 'admin', 'township'), async (req, res) => {
    const { format, ...q } = parse(OpenStatsQuery, req.query);
    const townshipId = ownUnit(actorOf(req), 'township', q.townshipId);
    const [counts, townships] = await Promise.all([
      openCaseCounts(lists, townshipId),
      org.townships.list({ includeRetired: true }),
    ]);
    // each grid's place: its township's in the organisation, then its own in the township (no grid, or
    // one no longer declared, after the township's grids)
    const place = (t: number, g: number) => [t, g < 0 ? Infinity : g] as const;
    const rows = counts
      .map((c) => {
        const t = townships.findIndex((x) => x.id === c.townshipId);
        const township = townships[t];
        const g = township?.grids.findIndex((x) => x.id === c.gridId) ?? -1;
        return {
          place: place(t < 0 ? townships.length : t, g),
          row: {
            townshipId: c.townshipId,
            township: township?.name ?? { zh: c.townshipId, en: c.townshipId },
            gridId: c.gridId || null,
            grid: township?.grids[g]?.name ?? (c.gridId ? { zh: c.gridId, en: c.gridId } : NO_GRID),
            open: c.open,
            overdue: c.overdue,
          },
        };
      })
      .sort(
        (a, b) =>
          a.place[0] - b.place[0] || a.place[1] - b.place[1] || (a.row.gridId ?? '').localeCompare(b.row.gridId ?? ''),
      )
      .map((r) => r.row);
    const totals = { open: sum(rows, 'open'), overdue: sum(rows, 'overdue') };
    send(res, format, 'open-cases', { totals, rows }, rowOf(OpenStatsView));
  });

  router.get('/matters', requireRole('supervisor', 'admin'), async (req, res) => {
    const { format, ...q } = parse(MatterStatsQuery, req.query);
    const filter = { ...q, ...periodOf(q) };
    const [units, matters] = await Promise.all([talliesFor(rollups, 'matters', filter), list.current()]);
    const counts = matterCountsOf(units);
    const rows = matters
      .map((m) => {
        const c = counts.get(m.code) ?? { used: 0, raised: 0, upheld: 0 };
        return {
          code: m.code,
          name: m.name,
          category: m.category,
          leadDepartmentId: m.leadDepartmentId,
          used: c.used,
          disputes: { raised: c.raised, upheld: c.upheld },
          reassignments: c.upheld,
        };
      })
      .sort((a, b) => b.used - a.used || a.code.localeCompare(b.code));
    const neverUsed = rows.filter((r) => r.used === 0).map((r) => r.code);
    const totals = { matters: rows.length, used: rows.length - neverUsed.length, neverUsed: neverUsed.length };
    send(
      res,
      format,
      'matter-stats',
      { from: filter.from, to: filter.to, totals, rows, neverUsed },
      rowOf(MatterStatsView),
    );
  });
  return router;
}

/** A month's ranking of departments or townships from the same read model. */
export function rankingRoutes({ rollups, org }: StatsDeps): Router {
  const router = Router();
  const month = async (req: Request) => {
    const q = parse(RankingQuery, req.query);
    const m = q.month ?? localDateOf(calendar(), new Date()).slice(0, 7);
    const span = monthSpan(calendar(), m);
    const whole = { from: `${m}-01`, to: `${m}-31` };
    return { q, m, whole, closed: span.end.getTime() <= Date.now() };
  };
  const answer = async (
    req: Request,
    res: Response,
    kind: 'department' | 'township',
    inputs: RankingInput[],
    m: { q: { format: 'json' | 'csv' }; m: string; closed: boolean },
  ) => {
    const nameOf = await names(kind === 'department' ? org.departments : org.townships);
    const actor = actorOf(req);
    const rows = rank(inputs)
      .filter((r) => actor.role !== kind || r.id === actor.orgUnitId)
      .map(({ id, ...r }) => ({ id, name: nameOf(id), ...r }));
    send(
      res,
      m.q.format,
      `${kind}-ranking-${m.m}`,
      {
        month: m.m,
        closed: m.closed,
        weights: WEIGHTS,
        minCases: MIN_CASES,
        rows,
      },
      rowOf(RankingView),
    );
  };

  router.get('/departments', requireRole('supervisor', 'admin', 'department'), async (req, res) => {
    const m = await month(req);
    const inputs = departmentRowsOf(await talliesFor(rollups, 'departments', m.whole)).map((r) => ({
      id: r.departmentId,
      cases: r.called,
      responseRate: r.reportRate,
      resolutionRate: r.resolutionRate,
      satisfaction: meanOf([r.satisfaction.speed, r.satisfaction.attitude, r.satisfaction.result]),
    }));
    await answer(req, res, 'department', inputs, m);
  });

  router.get('/townships', requireRole('supervisor', 'admin', 'township'), async (req, res) => {
    const m = await month(req);
    const inputs = townshipRowsOf(await talliesFor(rollups, 'townships', m.whole)).map((r) => ({
      id: r.townshipId,
      cases: r.raised - r.withdrawn - r.merged,
      responseRate: r.verifications === 0 ? null : r.verifiedInTime / r.verifications,
      resolutionRate: r.resolutionRate,
      satisfaction: r.cooperation.rating,
    }));
    await answer(req, res, 'township', inputs, m);
  });
  return router;
}

const sum = <K extends string>(rows: Record<K, number>[], k: K) => rows.reduce((n, r) => n + r[k], 0);

const meanOf = (xs: (number | null)[]) =>
  xs.some((x) => x === null) ? null : (xs as number[]).reduce((a, b) => a + b, 0) / xs.length;
