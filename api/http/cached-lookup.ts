/**
 * Reference data read on every request (the account behind a token, the township of a whistle),
 * cached for a few seconds to keep the hot path off the database. Changes made through this process
 * are forgotten at once; those made elsewhere show within the time to live.
 */
import { LRUCache } from 'lru-cache';

export const LOOKUP_CACHE_MS = 5_000;

export class CachedLookup<T extends object> {
  private readonly cache: LRUCache<string, { value: T | undefined }>;

  constructor(load: (id: string) => Promise<T | undefined>, ttlMs = LOOKUP_CACHE_MS) {
    this.cache = new LRUCache<string, { value: T | undefined }>({
      max: 10_000,
      ttl: ttlMs,
      fetchMethod: async (id): Promise<{ value: T | undefined }> => ({ value: await load(id) }),
    });
  }

  async get(id: string): Promise<T | undefined> {
    return (await this.cache.fetch(id))?.value;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
