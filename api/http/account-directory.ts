/**
 * Looks up the account behind a token, so a disabled account's tokens stop working. Cached for a
 * few seconds to keep the hot path off the database; disabling takes effect within that time.
 */
import { LRUCache } from 'lru-cache';
import type { Account } from '../../domain/organisation/schemas';
import type { ReferenceCollection } from '../../store/reference-collection';

export const ACCOUNT_CACHE_MS = 5_000;

export class AccountDirectory {
  private readonly cache: LRUCache<string, { account: Account | undefined }>;

  constructor(accounts: ReferenceCollection<Account>, ttlMs = ACCOUNT_CACHE_MS) {
    this.cache = new LRUCache({
      max: 10_000,
      ttl: ttlMs,
      fetchMethod: async (id) => ({ account: await accounts.get(id) }),
    });
  }

  async get(id: string): Promise<Account | undefined> {
    return (await this.cache.fetch(id))?.account;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }
}
