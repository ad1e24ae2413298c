/**
 * Grid reports (domain/grid-report.ts): one document per report, and a tally per township and month
 * for statistics. Every list is an equality on one indexed field that matches few documents —
 * `queue` (`<township>:<status>`: a township's open reports) and `filedBy` (a grid member's own) —
 * since FerretDB pushes down equality filters only. State changes are conditional on the status
 * read (`open` → …), so two clerks deciding at once cannot both win.
 *
 * The tally (`grid_report_tallies`, `_id` = `<township>:<YYYY-MM>`) keeps, per day in China
 * Standard Time, the ids of the reports filed, handled by the township and turned into whistles
 * that day; adding an id is `$addToSet`, so a retried write never counts twice. A count over any
 * range of days reads one document per township and month.
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

/** The calendar day in China Standard Time (UTC+8, no daylight saving), as YYYY-MM-DD. */
export function chinaDay(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const queueOf = (r: Pick<GridReport, 'townshipId' | 'status'>) => `${r.townshipId}:${r.status}`;
const toReport = ({ _id: _ignored, queue: _queue, ...r }: GridReportDoc): GridReport => r;

export class GridReports {
  private readonly model: Model<GridReportDoc>;
  private readonly tallies: Model<TallyDoc>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.GridReport as Model<GridReportDoc> | undefined) ??
      connection.model<GridReportDoc>('GridReport', schema);
    this.tallies =
      (connection.models.GridReportTally as Model<TallyDoc> | undefined) ??
      connection.model<TallyDoc>('GridReportTally', tallySchema);
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
    const day = chinaDay(at);
    const month = day.slice(0, 7);
    const add = () =>
      this.tallies.updateOne(
        { _id: `${townshipId}:${month}` },
        { $setOnInsert: { townshipId, month }, $addToSet: { [`days.${day}.${outcome}`]: reportId } },
        { upsert: true },
      );
    // two first reports of a month upsert at once: one insert wins, the other (a duplicate key) adds to it
    await add().catch((err: unknown) => {
      if ((err as { code?: number }).code !== 11000) throw err;
      return add();
    });
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
    const totals = new Map<string, GridReportCount>();
    for (const month of monthsBetween(range.from, range.to)) {
      const filter = range.townshipId ? { _id: `${range.townshipId}:${month}` } : { month };
      for (const doc of await this.tallies.find(filter).lean<TallyDoc[]>()) {
        const total = totals.get(doc.townshipId) ?? { townshipId: doc.townshipId, filed: 0, handled: 0, whistled: 0 };
        for (const [day, outcomes] of Object.entries(doc.days ?? {})) {
          if (day < range.from || day > range.to) continue;
          for (const outcome of GRID_REPORT_OUTCOMES) total[outcome] += outcomes[outcome]?.length ?? 0;
        }
        totals.set(doc.townshipId, total);
      }
    }
    return [...totals.values()].sort((a, b) => a.townshipId.localeCompare(b.townshipId));
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
