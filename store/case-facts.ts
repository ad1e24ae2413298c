/**
 * The statistics' read model: one document per case (`case_facts`, `_id` = case id) holding the
 * case condensed for statistics (domain/stats.ts `caseFacts`, rewritten from the state after each
 * recorded batch, ordered by `lastSeq` as the projection is) and its marks, one per counted event
 * under `marks.e<seq>`: a retried batch sets the same keys again and never counts twice.
 *
 * Shaped for FerretDB 1.x, which pushes down equality only: a period is read as one indexed query
 * per calendar month it touches (`month`), never a scan of the audit events. Each document is
 * written only by its own case's recording activity, which runs one batch at a time, so no two
 * writers race on a document (FerretDB 1.x updates are read-modify-write). Every write stamps the
 * minute it happened (`minute`, indexed), so the statistics' rollups (store/stats-rollups.ts) find
 * what changed since they were last folded by one equality query per minute.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { CaseEvent } from '../domain/case-event';
import type { WhistleCase } from '../domain/case/shape';
import { caseFacts, marksOf, type CaseFacts, type CaseRecord, type Mark } from '../domain/stats';

export interface CaseFactsDoc {
  _id: string;
  month: string;
  /** the UTC minute of the last write (YYYY-MM-DDTHH:MM): the rollup fold reads what changed by it */
  minute?: string;
  lastSeq: number;
  facts: CaseFacts;
  marks: Record<string, Mark>;
}

const schema = new Schema<CaseFactsDoc>(
  {
    _id: { type: String, required: true },
    month: { type: String, index: true },
    minute: { type: String, index: true },
    lastSeq: Number,
    facts: Schema.Types.Mixed,
    marks: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false, collection: 'case_facts' },
);

export type CaseFactsModel = Model<CaseFactsDoc>;

export function caseFactsModel(connection: Connection): CaseFactsModel {
  return (
    (connection.models.CaseFacts as CaseFactsModel | undefined) ?? connection.model<CaseFactsDoc>('CaseFacts', schema)
  );
}

/** Records a batch: its marks always (idempotent by key), the facts only if this state is newer. */
export async function recordFacts(
  model: CaseFactsModel,
  events: CaseEvent[],
  c: WhistleCase,
  now = new Date(),
): Promise<void> {
  const lastSeq = events[events.length - 1]!.seq;
  const set: Record<string, unknown> = Object.fromEntries(
    Object.entries(marksOf(events)).map(([key, mark]) => [`marks.${key}`, mark]),
  );
  set.minute = minuteOf(now);
  const stored = await model.findById(c.caseId, { lastSeq: 1 }).lean();
  if (!stored || stored.lastSeq < lastSeq) {
    const facts = caseFacts(c);
    Object.assign(set, { facts, month: facts.month, lastSeq });
  }
  await model.updateOne({ _id: c.caseId }, { $set: set }, { upsert: true });
}

/** The document of a case whose every event so far is `events` (a bulk load of whole histories). */
export function factsDoc(events: CaseEvent[], c: WhistleCase): CaseFactsDoc {
  const facts = caseFacts(c);
  return { _id: c.caseId, month: facts.month, lastSeq: events.at(-1)!.seq, facts, marks: marksOf(events) };
}

/** The UTC minute of an instant, YYYY-MM-DDTHH:MM: the key the rollup fold reads changes by. */
export const minuteOf = (at: Date) => at.toISOString().slice(0, 16);

/** The records of the cases raised in the given months (YYYY-MM): one indexed query per month. */
export async function recordsOfMonths(model: CaseFactsModel, months: string[]): Promise<CaseRecord[]> {
  const found = await Promise.all(months.map((month) => model.find({ month }, { facts: 1, marks: 1 }).lean()));
  return found.flat().map((d) => ({ facts: d.facts, marks: d.marks ?? {} }));
}
