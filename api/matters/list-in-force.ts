/**
 * The responsibility list in force, as routing reads it on every whistle: one snapshot of all
 * matters, reloaded after the time to live or at once when this process changes the list.
 */
import type { Matter } from '../../domain/responsibility-list/schemas';
import type { ResponsibilityList } from '../../store/responsibility-list';
import { LOOKUP_CACHE_MS } from '../http/cached-lookup';

interface Snapshot {
  listVersion: number;
  matters: Map<string, Matter>;
  loadedAt: number;
}

export class ListInForceCache {
  private snapshot: Promise<Snapshot> | undefined;

  constructor(
    private readonly list: ResponsibilityList,
    private readonly ttlMs = LOOKUP_CACHE_MS,
  ) {}

  async inForce(code: string | undefined): Promise<{ listVersion: number; matter?: Matter }> {
    const { listVersion, matters } = await this.current();
    const matter = code ? matters.get(code) : undefined;
    return { listVersion, ...(matter ? { matter } : {}) };
  }

  forget(): void {
    this.snapshot = undefined;
  }

  private async current(): Promise<Snapshot> {
    const cached = this.snapshot && (await this.snapshot.catch(() => undefined));
    if (cached && Date.now() - cached.loadedAt < this.ttlMs) return cached;
    this.snapshot = this.load();
    return this.snapshot;
  }

  private async load(): Promise<Snapshot> {
    // the version first: a change landing in between makes the snapshot newer than its number, never older
    const listVersion = await this.list.listVersion();
    const matters = await this.list.current({ includeRetired: true });
    return { listVersion, matters: new Map(matters.map((m) => [m.code, m])), loadedAt: Date.now() };
  }
}
