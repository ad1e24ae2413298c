/**
 * The responsibility list in force as GeoReport services: one service per matter (service_code =
 * matter code), grouped by category. The list is re-read only when its version moves, and the
 * version comes from the list-in-force cache the intake routes by.
 */
import type { Matter } from '../../domain/responsibility-list/schemas';
import type { ResponsibilityList } from '../../store/responsibility-list';
import type { ListInForceCache } from '../matters/list-in-force';
import type { Tree } from './format';

export type Lang = 'zh' | 'en';

/** `lang=en` asks for English; Chinese is the interface language otherwise. */
export const langOf = (value: unknown): Lang => (value === 'en' ? 'en' : 'zh');

interface Snapshot {
  listVersion: number;
  matters: Matter[];
  /** the latest change in the list: the discovery changeset */
  changedAt: string;
}

export class ServiceCatalogue {
  private snapshot: Promise<Snapshot> | undefined;

  constructor(
    private readonly inForce: ListInForceCache,
    private readonly list: ResponsibilityList,
  ) {}

  async all(): Promise<Snapshot> {
    const { listVersion } = await this.inForce.inForce(undefined);
    const cached = this.snapshot && (await this.snapshot.catch(() => undefined));
    if (cached && cached.listVersion === listVersion) return cached;
    this.snapshot = this.load(listVersion);
    return this.snapshot;
  }

  /** The matter in force for a code, as the intake will route it; retired or unknown → undefined. */
  async get(code: string): Promise<Matter | undefined> {
    const { matter } = await this.inForce.inForce(code);
    return matter && !matter.retired ? matter : undefined;
  }

  private async load(listVersion: number): Promise<Snapshot> {
    const matters = await this.list.current();
    const changedAt = matters.reduce((latest, m) => (m.changedAt > latest ? m.changedAt : latest), '');
    return { listVersion, matters, changedAt };
  }
}

export function toService(m: Matter, lang: Lang): Tree {
  return {
    service_code: m.code,
    service_name: m.name[lang],
    description: `${m.name.zh} / ${m.name.en} — 乡镇职责：${m.townshipRole.zh} / township's role: ${m.townshipRole.en}`,
    metadata: false,
    type: 'realtime',
    keywords: m.category,
    group: m.category,
  };
}

/** No matter asks for extra fields: every definition is empty (metadata is false for all). */
export const serviceDefinition = (m: Matter): Tree => ({ service_code: m.code, attributes: [] });
