/**
 * Reference data kept by id (townships, departments, accounts): shapes are validated by the domain's
 * zod schemas before anything is written, so the stored document is the validated object itself.
 * Retiring keeps the record (cases refer to it); it only leaves the default listings.
 */
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './connection';

interface Stored {
  _id: string;
  retired?: boolean;
  [field: string]: unknown;
}

export class ReferenceCollection<T extends { id: string }> {
  private readonly model: Model<Stored>;

  constructor(connection: Connection, name: string, collection: string) {
    const schema = new Schema<Stored>(
      { _id: { type: String, required: true }, retired: { type: Boolean, index: true } },
      { strict: false, versionKey: false, minimize: false, collection },
    );
    this.model = (connection.models[name] as Model<Stored> | undefined) ?? connection.model<Stored>(name, schema);
  }

  async list(options: { includeRetired?: boolean } = {}): Promise<T[]> {
    const filter = options.includeRetired ? {} : notRetired();
    const docs = await this.model.find(filter).sort({ _id: 1 }).lean();
    return docs.map(toItem<T>);
  }

  async get(id: string): Promise<T | undefined> {
    const doc = await this.model.findById(id).lean();
    return doc ? toItem<T>(doc) : undefined;
  }

  async ids(): Promise<Set<string>> {
    const docs = await this.model.find(notRetired(), { _id: 1 }).lean();
    return new Set(docs.map((d) => d._id));
  }

  /** Inserts; false when the id exists already. */
  async create(item: T): Promise<boolean> {
    try {
      await this.model.create(toDoc(item));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Replaces the whole record; false when there is none. */
  async replace(item: T): Promise<boolean> {
    const result = await this.model.replaceOne({ _id: item.id }, toDoc(item));
    return result.matchedCount === 1;
  }

  /** Inserts those not present yet, retired ones included (seed data on every start). */
  async insertMissing(items: T[]): Promise<number> {
    const present = new Set((await this.model.find({}, { _id: 1 }).lean()).map((d) => d._id));
    const missing = items.filter((item) => !present.has(item.id));
    if (missing.length) await this.model.insertMany(missing.map(toDoc));
    return missing.length;
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }
}

function toDoc<T extends { id: string }>({ id, ...rest }: T): Stored {
  return { _id: id, ...rest };
}

function toItem<T>({ _id, ...rest }: Stored): T {
  return { id: _id, ...rest } as T;
}

/** Operators must be marked trusted: `sanitizeFilter` turns any other `$` key into a literal. */
export function notRetired() {
  return { retired: mongoose.trusted({ $ne: true }) };
}
