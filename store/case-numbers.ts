/**
 * Case numbers people can read and say on the phone: county-year-sequence (e.g. XILAN-2026-000123).
 * One counter document per county and year, bumped atomically by `_id` (FerretDB pushes that down).
 * A number handed out to a request that then finds its case already started (an idempotent retry)
 * is not reused: the sequence may have gaps, never duplicates.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './connection';

interface CounterDoc {
  _id: string;
  seq: number;
}

export class CaseNumbers {
  private readonly counters: Model<CounterDoc>;

  constructor(
    connection: Connection,
    private readonly countyCode: string,
  ) {
    const schema = new Schema<CounterDoc>({ _id: String, seq: Number }, { versionKey: false, collection: 'counters' });
    this.counters =
      (connection.models.Counter as Model<CounterDoc> | undefined) ?? connection.model<CounterDoc>('Counter', schema);
  }

  /** The next number for the year the instant falls in, in China Standard Time. */
  async next(at: Date): Promise<string> {
    const year = new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
    const key = `${this.countyCode}-${year}`;
    const bump = () =>
      this.counters
        .findOneAndUpdate({ _id: key }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
        .lean();
    // two first numbers of a year at once: both upsert, one insert loses; the counter exists now
    const counter = await bump().catch((err: unknown) => {
      if (isDuplicateKey(err)) return bump();
      throw err;
    });
    return `${key}-${String(counter.seq).padStart(6, '0')}`;
  }
}
