/**
 * Open311 API keys, each bound to one township account. Only the SHA-256 of a key is stored (as
 * `_id`), so a leaked database holds no usable key, and a lookup is a query by `_id` alone (an
 * index lookup, on MongoDB and on the local FerretDB alike).
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { Id } from '../domain/names';
import { isDuplicateKey } from './connection';

export interface ApiKey {
  /** sha256(key), hex */
  keyHash: string;
  accountId: string;
  townshipId: string;
  label: string;
  enabled: boolean;
}

interface ApiKeyDoc extends Omit<ApiKey, 'keyHash'> {
  _id: string;
}

/** A key as an administrator (or the demo county) hands it out: the clear key, never stored. */
export const ApiKeySeed = z.strictObject({
  key: z
    .string()
    .min(16, 'an api_key has at least 16 characters')
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII only'),
  accountId: Id,
  townshipId: Id,
  label: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
});
export type ApiKeySeed = z.input<typeof ApiKeySeed>;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const schema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    townshipId: { type: String, required: true },
    label: { type: String, required: true },
    enabled: { type: Boolean, required: true },
  },
  { versionKey: false, collection: 'api_keys' },
);

export class ApiKeys {
  private readonly model: Model<ApiKeyDoc>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.ApiKey as Model<ApiKeyDoc> | undefined) ?? connection.model<ApiKeyDoc>('ApiKey', schema);
  }

  /** The record a key stands for (enabled or not), or undefined for a key never issued. */
  async lookup(key: string): Promise<ApiKey | undefined> {
    const doc = await this.model.findById(hashApiKey(key)).lean();
    if (!doc) return undefined;
    const { _id, accountId, townshipId, label, enabled } = doc;
    return { keyHash: _id, accountId, townshipId, label, enabled };
  }

  /** Inserts the keys not stored yet (seed data on every start); returns how many were new. */
  async insertMissing(seeds: ApiKeySeed[]): Promise<number> {
    let inserted = 0;
    for (const seed of seeds) {
      const { key, ...rest } = ApiKeySeed.parse(seed);
      try {
        await this.model.create({ _id: hashApiKey(key), ...rest });
        inserted++;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    return inserted;
  }
}
