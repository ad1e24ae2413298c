/**
 * Numbers never handed out twice, on MongoDB and on the local FerretDB alike, across processes.
 * FerretDB 1.x applies an update by reading the document in Go and writing it back, with no lock or
 * transaction: concurrent `$inc`s on one counter lose updates and return the same value. The one thing
 * it enforces is a unique `_id` on insert. So a number is ours only once its claim (a document whose
 * `_id` names the number) is inserted; on a duplicate key the next number is tried.
 *
 * The counter stays, as the hint of where to start: bumped with `$inc` (atomic on MongoDB, so there a
 * claim collides only if a lost update happened locally before), raised with `$max` past a number found
 * by trying further. Numbers stay dense while one caller at a time asks; they may have gaps (a claim
 * made, its use failed), never duplicates. A counter from before the claims (an existing deployment)
 * counts: the first claim is its value plus one, so no number handed out before is reused.
 * Within one process, calls for the same key wait in a queue and never contend with each other.
 */
import AsyncLock from 'async-lock';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { isDuplicateKey } from './connection';

export interface SequenceStore {
  /** one document per key; `field` holds the last number handed out (or a little less: a hint) */
  counters: string;
  field: string;
  /** one document per number handed out */
  claims: string;
  /** the claim's `_id`: what the number is called */
  claimId(key: string, n: number): string;
}

/** `{ _id: key, [field]: n }`: the field is the caller's, so the document is typed loosely */
type Counter = { _id: string } & Record<string, unknown>;
interface Claim {
  _id: string;
  key: string;
  n: number;
  at: Date;
}

export class ClaimedSequence {
  /** one claim at a time per key in this process (the same keyed lock as the lists' counts) */
  private readonly turns = new AsyncLock({ maxPending: Infinity });
  /** the last number this instance claimed per key: where to start when the counter lags behind */
  private readonly claimed = new Map<string, number>();

  private readonly models: Model<unknown>[];

  constructor(
    private readonly connection: Connection,
    private readonly store: SequenceStore,
  ) {
    this.models = [store.counters, store.claims].map((name) => collectionModel(connection, name));
  }

  /** The key's next number, claimed: nobody else, in this process or another, is given it. */
  next(key: string, at: Date): Promise<number> {
    return this.turns.acquire(key, () => this.claim(key, at));
  }

  /** The last number claimed: the counter's, or past it while a claim has not raised it yet. */
  async last(key: string): Promise<number> {
    await this.created();
    let n = Number((await this.counters.findOne({ _id: key }))?.[this.store.field] ?? 0);
    while (await this.claims.findOne({ _id: this.store.claimId(key, n + 1) }, { projection: { _id: 1 } })) n += 1;
    return n;
  }

  private async claim(key: string, at: Date): Promise<number> {
    await this.created();
    const hint = await this.bump(key);
    for (let n = Math.max(hint, (this.claimed.get(key) ?? 0) + 1); ; n += 1) {
      try {
        await this.claims.insertOne({ _id: this.store.claimId(key, n), key, n, at });
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      // taken further than the counter said: the next caller starts past this one
      if (n > hint) await this.counters.updateOne({ _id: key }, { $max: { [this.store.field]: n } });
      this.claimed.set(key, n);
      return n;
    }
  }

  private async bump(key: string): Promise<number> {
    const inc = () =>
      this.counters.findOneAndUpdate({ _id: key }, { $inc: { [this.store.field]: 1 } } as mongo.UpdateFilter<Counter>, {
        upsert: true,
        returnDocument: 'after',
      });
    // two first numbers of a key at once: both upsert, one insert loses; the counter exists now
    const counter = await inc().catch((err: unknown) => {
      if (isDuplicateKey(err)) return inc();
      throw err;
    });
    const n = Number(counter?.[this.store.field]);
    if (!Number.isSafeInteger(n)) throw new Error(`counter ${this.store.counters}/${key} holds no number`);
    return n;
  }

  /**
   * Both collections made before the first write (mongoose's `autoCreate`, as every model of the
   * store): FerretDB 1.x stalls when many writers create one collection by writing to it at once.
   */
  private created(): Promise<unknown> {
    return Promise.all(this.models.map((m) => m.init()));
  }

  private get counters() {
    return this.connection.collection<Counter>(this.store.counters);
  }

  private get claims() {
    return this.connection.collection<Claim>(this.store.claims);
  }
}

function collectionModel(connection: Connection, collection: string): Model<unknown> {
  const name = `Sequence:${collection}`;
  return (
    (connection.models[name] as Model<unknown> | undefined) ??
    connection.model<unknown>(name, new Schema({ _id: String }, { strict: false, versionKey: false, collection }))
  );
}
