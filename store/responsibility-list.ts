/**
 * The responsibility list in MongoDB: `matters` holds each matter's version in force, and
 * `matter_versions` every version ever made, with who and why. A change bumps the list version once
 * (one import = one list version). Without multi-document transactions (FerretDB), each version
 * record is written before the matter it puts in force, so a crash leaves history ahead, never behind.
 * List versions are claimed (`list_versions`, one document per version; `list_meta` the hint, see
 * `claimed-sequence.ts`): two administrators' changes at once get two versions, on FerretDB too.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Actor } from '../domain/identity';
import { sameMatter } from '../domain/responsibility-list/check';
import type { Matter, MatterFields } from '../domain/responsibility-list/schemas';
import { ClaimedSequence } from './claimed-sequence';
import { notRetired } from './reference-collection';

type MatterDoc = Matter & { _id: string };
type VersionDoc = Matter & { _id: string };

/** the list's key in `list_meta` */
const LIST = 'list';

const loose = (collection: string) => ({ strict: false, versionKey: false, minimize: false, collection }) as const;

export interface ListChange {
  fields: MatterFields;
  retire?: boolean;
}

export interface ChangeResult {
  listVersion: number;
  created: string[];
  changed: string[];
  retired: string[];
  unchanged: string[];
}

export class ResponsibilityList {
  private readonly matters: Model<MatterDoc>;
  private readonly versions: Model<VersionDoc>;
  private readonly versionNumbers: ClaimedSequence;

  constructor(connection: Connection) {
    this.matters = model(
      connection,
      'Matter',
      new Schema<MatterDoc>(
        { _id: String, category: { type: String, index: true }, retired: { type: Boolean, index: true } },
        loose('matters'),
      ),
    );
    this.versions = model(
      connection,
      'MatterVersion',
      new Schema<VersionDoc>({ _id: String, code: { type: String, index: true } }, loose('matter_versions')),
    );
    this.versionNumbers = new ClaimedSequence(connection, {
      counters: 'list_meta',
      field: 'version',
      claims: 'list_versions',
      claimId: (key, n) => `${key}@${n}`,
    });
  }

  async listVersion(): Promise<number> {
    return this.versionNumbers.last(LIST);
  }

  async current(options: { includeRetired?: boolean } = {}): Promise<Matter[]> {
    const docs = await this.matters
      .find(options.includeRetired ? {} : notRetired())
      .sort({ _id: 1 })
      .lean();
    return docs.map(strip);
  }

  async get(code: string): Promise<Matter | undefined> {
    const doc = await this.matters.findById(code).lean();
    return doc ? strip(doc) : undefined;
  }

  /** What routing needs: the list version in force and the matter's version in force. */
  async inForce(code: string | undefined): Promise<{ listVersion: number; matter?: Matter }> {
    const [listVersion, matter] = await Promise.all([this.listVersion(), code ? this.get(code) : undefined]);
    return { listVersion, ...(matter ? { matter } : {}) };
  }

  async history(code: string): Promise<Matter[]> {
    const docs = await this.versions.find({ code }).sort({ version: 1 }).lean();
    return docs.map(strip);
  }

  /** Applies already-validated changes as one list version; unchanged matters make no version. */
  async apply(changes: ListChange[], actor: Actor, reason: string, at: Date): Promise<ChangeResult> {
    const existing = new Map((await this.current({ includeRetired: true })).map((m) => [m.code, m]));
    const plan = changes
      .map((c) => ({ ...c, before: existing.get(c.fields.code) }))
      .filter(
        ({ fields, retire, before }) => !before || Boolean(retire) !== before.retired || !sameMatter(before, fields),
      );
    const result: ChangeResult = {
      listVersion: await this.listVersion(),
      created: [],
      changed: [],
      retired: [],
      unchanged: [],
    };
    result.unchanged = changes.map((c) => c.fields.code).filter((code) => !plan.some((p) => p.fields.code === code));
    if (plan.length === 0) return result;

    result.listVersion = await this.versionNumbers.next(LIST, at);
    for (const { fields, retire, before } of plan) {
      const matter: Matter = {
        ...fields,
        version: (before?.version ?? 0) + 1,
        listVersion: result.listVersion,
        effectiveFrom: at.toISOString(),
        retired: Boolean(retire),
        changedBy: actor.accountId,
        changedAt: at.toISOString(),
        reason,
      };
      await this.versions.replaceOne(
        { _id: `${matter.code}@${matter.version}` },
        { _id: `${matter.code}@${matter.version}`, ...matter },
        { upsert: true },
      );
      await this.matters.replaceOne({ _id: matter.code }, { _id: matter.code, ...matter }, { upsert: true });
      (retire ? result.retired : before ? result.changed : result.created).push(matter.code);
    }
    return result;
  }
}

function model<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

function strip<T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> {
  return rest;
}
