/**
 * The overdue stream's read model (`overdue_feed`): one document per breach, escalation and cure,
 * keyed by case and event sequence (a cure: by case, clock and deadline), so a retried batch inserts
 * nothing new, with the time it was recorded and that time's minute (`bucket`, indexed).
 *
 * Why a polled read model: the API and the worker are separate processes, and FerretDB 1.x has no
 * change streams, so the worker cannot push to the API directly without a broker. Each API stream
 * instead reads the current minute's bucket (and the one before) by indexed equality about once a
 * second: a handful of small documents, whatever the size of the database. A resumed stream
 * (`Last-Event-ID`) reads the minutes since its last event, at most an hour back.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { FeedRow } from '../domain/overdue-feed';
import { isDuplicateKey } from './connection';

export const BUCKET_MS = 60_000;

export interface FeedEntry extends FeedRow {
  _id: string;
  /** ms since the epoch, the recording activity's clock */
  recordedAt: number;
  bucket: number;
}

const schema = new Schema<FeedEntry>(
  { _id: String, bucket: { type: Number, index: true } },
  { strict: false, versionKey: false, minimize: false, collection: 'overdue_feed' },
);

export type OverdueFeedModel = Model<FeedEntry>;

export function overdueFeedModel(connection: Connection): OverdueFeedModel {
  return (
    (connection.models.OverdueFeed as OverdueFeedModel | undefined) ??
    connection.model<FeedEntry>('OverdueFeed', schema)
  );
}

/**
 * A breach or escalation by its event; a cure by the clock and its deadline (a clock is met once:
 * should a later batch hold another event of the same instant, the cure is not streamed twice).
 */
function feedKey(row: FeedRow): string {
  return row.event.kind === 'cure'
    ? `${row.caseId}:cure:${row.clock}:${row.deadline}`
    : `${row.caseId}:${row.event.seq}:${row.clock}`;
}

/** The feed's documents of rows recorded at `recordedAt`. */
export function feedDocs(rows: FeedRow[], recordedAt: number): FeedEntry[] {
  return rows.map((row) => ({ _id: feedKey(row), recordedAt, bucket: Math.floor(recordedAt / BUCKET_MS), ...row }));
}

export async function appendFeed(model: OverdueFeedModel, rows: FeedRow[], recordedAt: number): Promise<void> {
  if (rows.length === 0) return;
  const docs = feedDocs(rows, recordedAt);
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // a retried batch: recorded already
  }
}

/** Entries recorded from `fromMs` to `toMs`, oldest first: one indexed query per minute. */
export async function feedBetween(model: OverdueFeedModel, fromMs: number, toMs: number): Promise<FeedEntry[]> {
  const buckets: number[] = [];
  for (let b = Math.floor(fromMs / BUCKET_MS); b <= Math.floor(toMs / BUCKET_MS); b++) buckets.push(b);
  const found = await Promise.all(buckets.map((bucket) => model.find({ bucket }).lean<FeedEntry[]>()));
  return found
    .flat()
    .filter((e) => e.recordedAt >= fromMs)
    .sort((a, b) => a.recordedAt - b.recordedAt || a._id.localeCompare(b._id));
}
