/**
 * Reads a township's cases from the projection, one `_id` at a time: an id list as asked, a filtered
 * search as the lists' read model finds it (store/case-list.ts: the township's raise days walked back
 * from the end of the range, each day one indexed query, until MAX_REQUESTS are found).
 */
import type { CaseProjectionDoc, CaseProjectionModel } from '../../store/case-projections';
import { newestEntries, type CaseListEntry, type CaseListModels } from '../../store/case-list';
import { MAX_REQUESTS, type RequestSearch } from './query';
import { CLOSED_STATUSES } from './requests';

/** Parallel `_id` lookups at once: enough to hide latency, few enough to spare the database. */
const ID_LOOKUPS_AT_ONCE = 8;

export class CaseSearch {
  constructor(
    private readonly cases: CaseProjectionModel,
    private readonly lists: CaseListModels,
  ) {}

  /** One case of the township (any, for the public view); another township's case is as unknown as a missing one. */
  async one(townshipId: string | undefined, caseId: string): Promise<CaseProjectionDoc | undefined> {
    const doc = await this.cases.findById(caseId).lean<CaseProjectionDoc>();
    return doc && (townshipId === undefined || doc.townshipId === townshipId) ? doc : undefined;
  }

  /** Newest first, at most MAX_REQUESTS; every township's for the public view (no township). */
  async find(townshipId: string | undefined, search: RequestSearch): Promise<CaseProjectionDoc[]> {
    const docs =
      search.kind === 'ids' ? await this.byIds(townshipId, search.ids) : await this.byFilter(townshipId, search);
    return docs.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0));
  }

  private async byIds(townshipId: string | undefined, ids: string[]): Promise<CaseProjectionDoc[]> {
    const found: CaseProjectionDoc[] = [];
    for (let i = 0; i < ids.length; i += ID_LOOKUPS_AT_ONCE) {
      const batch = await Promise.all(ids.slice(i, i + ID_LOOKUPS_AT_ONCE).map((id) => this.one(townshipId, id)));
      for (const doc of batch) if (doc) found.push(doc);
    }
    return found;
  }

  private async byFilter(
    townshipId: string | undefined,
    search: Extract<RequestSearch, { kind: 'filter' }>,
  ): Promise<CaseProjectionDoc[]> {
    const codes = new Set(search.serviceCodes);
    const statuses = new Set(search.statuses);
    const closed = statuses.size === 1 ? statuses.has('closed') : undefined;
    const keep = (e: CaseListEntry) =>
      (!codes.size || codes.has(e.matterCode ?? '')) &&
      (closed === undefined || CLOSED_STATUSES.includes(e.status) === closed);
    // the request's end is inclusive; the walk's is not
    const range = { from: search.from.toISOString(), to: new Date(search.to.getTime() + 1).toISOString() };
    const list = townshipId ? `township:${townshipId}` : 'all';
    const entries = await newestEntries(this.lists, list, range, keep, MAX_REQUESTS);
    return this.byIds(
      townshipId,
      entries.map((e) => e.caseId),
    );
  }
}
