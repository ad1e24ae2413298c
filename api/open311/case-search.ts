/**
 * Reads a township's cases from the projection: an id list one `_id` at a time, the filtered search
 * bounded by date range and limit. Locally, FerretDB answers the equality on `townshipId` from its
 * index and evaluates the rest (ranges, `$in`, sort, limit) in Go over the township's cases.
 */
import mongoose from 'mongoose';
import type { CaseProjectionDoc, CaseProjectionModel } from '../../store/case-projections';
import { MAX_REQUESTS, type RequestSearch } from './query';
import { CLOSED_STATUSES } from './requests';

/** Parallel `_id` lookups at once: enough to hide latency, few enough to spare the database. */
const ID_LOOKUPS_AT_ONCE = 8;

export class CaseSearch {
  constructor(private readonly cases: CaseProjectionModel) {}

  /** One case of the township; another township's case is as unknown as a missing one. */
  async one(townshipId: string, caseId: string): Promise<CaseProjectionDoc | undefined> {
    const doc = await this.cases.findById(caseId).lean<CaseProjectionDoc>();
    return doc && doc.townshipId === townshipId ? doc : undefined;
  }

  /** Newest first, at most MAX_REQUESTS. */
  async find(townshipId: string, search: RequestSearch): Promise<CaseProjectionDoc[]> {
    const docs =
      search.kind === 'ids' ? await this.byIds(townshipId, search.ids) : await this.byFilter(townshipId, search);
    return docs.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0));
  }

  private async byIds(townshipId: string, ids: string[]): Promise<CaseProjectionDoc[]> {
    const found: CaseProjectionDoc[] = [];
    for (let i = 0; i < ids.length; i += ID_LOOKUPS_AT_ONCE) {
      const batch = await Promise.all(ids.slice(i, i + ID_LOOKUPS_AT_ONCE).map((id) => this.one(townshipId, id)));
      for (const doc of batch) if (doc) found.push(doc);
    }
    return found;
  }

  private async byFilter(
    townshipId: string,
    search: Extract<RequestSearch, { kind: 'filter' }>,
  ): Promise<CaseProjectionDoc[]> {
    // raisedAt is stored as toISOString(), so string order is time order
    const filter: Record<string, unknown> = {
      townshipId,
      raisedAt: mongoose.trusted({ $gte: search.from.toISOString(), $lte: search.to.toISOString() }),
    };
    if (search.serviceCodes.length) filter.matterCode = mongoose.trusted({ $in: search.serviceCodes });
    const statuses = new Set(search.statuses);
    if (statuses.size === 1) {
      filter.status = mongoose.trusted(
        statuses.has('closed') ? { $in: [...CLOSED_STATUSES] } : { $nin: [...CLOSED_STATUSES] },
      );
    }
    return this.cases.find(filter).sort({ raisedAt: -1 }).limit(MAX_REQUESTS).lean<CaseProjectionDoc[]>();
  }
}
