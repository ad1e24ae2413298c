/**
 * Grid reports (domain/grid-report.ts): one document per report, and a tally per township and month
 * for statistics. Every list is an equality on one indexed field that matches few documents —
 * `queue` (`<township>:<status>`: a township's open reports) and `filedBy` (a grid member's own) —
 * since FerretDB pushes down equality filters only. State changes are conditional on the status
 * read (`open` → …), so two clerks deciding at once cannot both win.
 *
 * The tally (`grid_report_tallies`, `_id` = `<township>:<YYYY-MM>`) keeps, per day in China
 * Standard Time, the ids of the reports filed, handled by the township and turned into whistles
 * that day, so nothing counts twice. It has one writer: FerretDB 1.x applies `$addToSet` by reading
 * the document and writing it back, so two reports filed at once would lose an id. Each outcome is
 * written as a document of its own (`grid_report_outcomes`, `_id` = `<report>:<outcome>`, stamped
 * with the minute), and the statistics' fold (`foldTallies`, run by the `stats-rollup` Schedule
 * with the case rollups) adds the outcomes of the minutes since its watermark to the tallies. A
 * count over any range of days reads one document per township and month, plus the outcomes of the
 * minutes since the watermark (ids again: an outcome both folded and read counts once).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { GridReport, GridReportStatus } from '../domain/grid-report';

export interface GridReportDoc extends GridReport {
  _id: string;
  /** `<townshipId>:<status>`: a township's reports in one status, by one indexed equality */
  queue: string;
}

const schema = new Schema<GridReportDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    townshipId: String,
    gridId: String,
    category: String,
    description: String,
    location: Schema.Types.Mixed,
    evidence: [Schema.Types.Mixed],
    filedBy: { type: String, index: true },
    filedAt: String,
    status: String,
    queue: { type: String, index: true },
    handled: Schema.Types.Mixed,
    whistle: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false, collection: 'grid_reports' },
);

/** What a tally counts. */
export const GRID_REPORT_OUTCOMES = ['filed', 'handled', 'whistled'] as const;
export type GridReportOutcome = (typeof GRID_REPORT_OUTCOMES)[number];

interface TallyDoc {
  _id: string;
  townshipId: string;
  month: string;
  days: Record<string, Partial<Record<GridReportOutcome, string[]>>>;
}

const tallySchema = new Schema<TallyDoc>(
  {
    _id: { type: String, required: true },
    townshipId: String,
    month: { type: String, index: true },
    days: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false, collection: 'grid_report_tallies' },
);

/** An outcome of one report, written once (a retry writes the same), folded into its tally. */
interface OutcomeDoc {
  _id: string;
  reportId: string;
  townshipId: string;
  outcome: GridReportOutcome;
  day: string;
  minute: string;
}

const outcomeSchema = new Schema<OutcomeDoc>(
  {
    _id: { type: String, required: true },
    reportId: String,
    townshipId: String,
    outcome: String,
    day: String,
    minute: { type: String, index: true },
  },
  { versionKey: false, collection: 'grid_report_outcomes' },
);

interface FoldMark {
  _id: string;
  /** the first minute (UTC) whose outcomes are not yet in the tallies */
  through: string;
}
const foldMarkSchema = new Schema<FoldMark>(
  { _id: { type: String, required: true }, through: String },
  { versionKey: false, collection: 'grid_report_tally_fold' },
);

const MINUTE = 60_000;
/** minutes read again behind the watermark (an outcome stamped before it that landed after it) */
const LOOKBACK_MINUTES = 10;
/** before the first fold, a count reads the outcomes of this many minutes back */
const UNFOLDED_MINUTES = 180;
const minuteOf = (at: Date) => at.toISOString().slice(0, 16);
const minutesFrom = (from: number, until: number): string[] => {
  const out: string[] = [];
  for (let t = from - (from % MINUTE); t < until; t += MINUTE) out.push(minuteOf(new Date(t)));
  return out;
};

/** The calendar day in China Standard Time (UTC+8, no daylight saving), as YYYY-MM-DD. */
export function chinaDay(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const queueOf = (r: Pick<GridReport, 'townshipId' | 'status'>) => `${r.townshipId}:${r.status}`;
const toReport = ({ _id: _ignored, queue: _queue, ...r }: GridReportDoc): GridReport => r;

export class GridReports {
  private readonly model: Model<GridReportDoc>;
  private readonly tallies: Model<TallyDoc>;
  private readonly outcomes: Model<OutcomeDoc>;
  private readonly foldMark: Model<FoldMark>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.GridReport as Model<GridReportDoc> | undefined) ??
      connection.model<GridReportDoc>('GridReport', schema);
    this.tallies =
      (connection.models.GridReportTally as Model<TallyDoc> | undefined) ??
      connection.model<TallyDoc>('GridReportTally', tallySchema);
    this.outcomes =
      (connection.models.GridReportOutcome as Model<OutcomeDoc> | undefined) ??
      connection.model<OutcomeDoc>('GridReportOutcome', outcomeSchema);
    this.foldMark =
      (connection.models.GridReportTallyFold as Model<FoldMark> | undefined) ??
      connection.model<FoldMark>('GridReportTallyFold', foldMarkSchema);
  }

  async file(report: GridReport): Promise<void> {
    await this.model.create({ _id: report.id, ...report, queue: queueOf(report) });
    await this.tally(report.townshipId, report.filedAt, 'filed', report.id);
  }

  async get(id: string): Promise<GridReport | undefined> {
    const doc = await this.model.findById(id).lean<GridReportDoc>();
    return doc ? toReport(doc) : undefined;
  }

  /** A township's reports in one status, newest first. */
  async ofTownship(townshipId: string, status: GridReportStatus): Promise<GridReport[]> {
    return this.sorted(await this.model.find({ queue: queueOf({ townshipId, status }) }).lean<GridReportDoc[]>());
  }

  /** A grid member's own reports, newest first. */
  async filedBy(accountId: string): Promise<GridReport[]> {
    return this.sorted(await this.model.find({ filedBy: accountId }).lean<GridReportDoc[]>());
  }

  /**
   * Moves a report from the status it was read in to its next state; false when someone else moved
   * it first (read it again). A report reaching `handled` or `whistled` is counted for that day.
   */
  async transition(from: GridReportStatus, next: GridReport): Promise<boolean> {
    // the whole document: what the next state leaves out (an undone claim) goes
    const { matchedCount } = await this.model.replaceOne(
      { _id: next.id, status: from },
      { _id: next.id, ...next, queue: queueOf(next) },
    );
    if (matchedCount !== 1) return false;
    await this.counted(next);
    return true;
  }

  /** Counts a decided report (again: the tally keeps ids, so it never counts one twice). */
  async counted(r: GridReport): Promise<void> {
    if (r.status === 'handled' && r.handled) await this.tally(r.townshipId, r.handled.at, 'handled', r.id);
    if (r.status === 'whistled' && r.whistle) await this.tally(r.townshipId, r.whistle.at, 'whistled', r.id);
  }

  private async tally(townshipId: string, at: string, outcome: GridReportOutcome, reportId: string): Promise<void> {
    const _id = `${reportId}:${outcome}`;
    const doc = { _id, reportId, townshipId, outcome, day: chinaDay(at), minute: minuteOf(new Date()) };
    await this.outcomes.replaceOne({ _id }, doc, { upsert: true });
  }

  /**
   * Adds the outcomes written since the last fold to the monthly tallies. Run by one writer only
   * (the statistics' Schedule); a retry adds the same ids again, which changes nothing.
   */
  async foldTallies(now = new Date()): Promise<{ outcomes: number; tallies: number; through: string }> {
    const mark = await this.foldMark.findById('state').lean<FoldMark>();
    const through = minuteOf(new Date(now.getTime() - 10_000));
    const from = mark
      ? Date.parse(`${mark.through}:00Z`) - LOOKBACK_MINUTES * MINUTE
      : now.getTime() - UNFOLDED_MINUTES * MINUTE;
    const outcomes = (await this.outcomesOf(minutesFrom(from, Date.parse(`${through}:00Z`)))).filter(
      (o) => o.minute < through,
    );
    const byTally = new Map<string, OutcomeDoc[]>();
    for (const o of outcomes) {
      const id = `${o.townshipId}:${o.day.slice(0, 7)}`;
      byTally.set(id, [...(byTally.get(id) ?? []), o]);
    }
    for (const [id, adding] of byTally) {
      const doc = (await this.tallies.findById(id).lean<TallyDoc>()) ?? {
        _id: id,
        townshipId: adding[0]!.townshipId,
        month: adding[0]!.day.slice(0, 7),
        days: {},
      };
      for (const o of adding) {
        const ids = ((doc.days[o.day] ??= {})[o.outcome] ??= []);
        if (!ids.includes(o.reportId)) ids.push(o.reportId);
      }
      await this.tallies.replaceOne({ _id: id }, doc, { upsert: true });
    }
    await this.foldMark.replaceOne({ _id: 'state' }, { _id: 'state', through }, { upsert: true });
    return { outcomes: outcomes.length, tallies: byTally.size, through };
  }

  private async outcomesOf(minutes: string[]): Promise<OutcomeDoc[]> {
    return (await Promise.all(minutes.map((minute) => this.outcomes.find({ minute }).lean<OutcomeDoc[]>()))).flat();
  }

  private sorted(docs: GridReportDoc[]): GridReport[] {
    return docs.map(toReport).sort((a, b) => b.filedAt.localeCompare(a.filedAt) || b.id.localeCompare(a.id));
  }

  /**
   * For statistics: per township, the grid reports filed, handled by the township and turned into
   * whistles on the days `from` to `to` (YYYY-MM-DD, both included, China Standard Time). A report
   * counts on the day each thing happened to it. Townships with nothing in the range are left out.
   */
  async count(range: { from: string; to: string; townshipId?: string }): Promise<GridReportCount[]> {
    const now = Date.now();
    const mark = await this.foldMark.findById('state').lean<FoldMark>();
    const since = mark
      ? Date.parse(`${mark.through}:00Z`) - LOOKBACK_MINUTES * MINUTE
      : now - UNFOLDED_MINUTES * MINUTE;
    const [tallies, recent] = await Promise.all([
      Promise.all(
        monthsBetween(range.from, range.to).map((month) =>
          this.tallies.find(range.townshipId ? { _id: `${range.townshipId}:${month}` } : { month }).lean<TallyDoc[]>(),
        ),
      ).then((found) => found.flat()),
      this.outcomesOf(minutesFrom(since, now + 2 * MINUTE)),
    ]);
    // the ids counted per township and outcome: a report folded and also read recently counts once
    const ids = new Map<string, Record<GridReportOutcome, Set<string>>>();
    const of = (townshipId: string) => {
      if (!ids.has(townshipId)) ids.set(townshipId, { filed: new Set(), handled: new Set(), whistled: new Set() });
      return ids.get(townshipId)!;
    };
    const add = (townshipId: string, day: string, outcome: GridReportOutcome, reportId: string) => {
      if (day < range.from || day > range.to || (range.townshipId && townshipId !== range.townshipId)) return;
      of(townshipId)[outcome].add(reportId);
    };
    for (const doc of tallies) {
      of(doc.townshipId); // a township with a tally of the months has a row, as before
      for (const [day, outcomes] of Object.entries(doc.days ?? {}))
        for (const outcome of GRID_REPORT_OUTCOMES)
          for (const id of outcomes[outcome] ?? []) add(doc.townshipId, day, outcome, id);
    }
    for (const o of recent) add(o.townshipId, o.day, o.outcome, o.reportId);
    return [...ids.entries()]
      .map(([townshipId, sets]) => ({
        townshipId,
        filed: sets.filed.size,
        handled: sets.handled.size,
        whistled: sets.whistled.size,
      }))
      .sort((a, b) => a.townshipId.localeCompare(b.townshipId));
  }
}

export interface GridReportCount {
  townshipId: string;
  filed: number;
  /** closed at township level (乡镇自行处置) */
  handled: number;
  /** turned into whistles (转吹哨) */
  whistled: number;
}

/** Every YYYY-MM from the month of `from` to the month of `to`. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) return months;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}
