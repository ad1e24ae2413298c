/** Lists of cases from the projection: filters built only from validated values, newest first, paged. */
import mongoose from 'mongoose';
import type { CaseProjectionDoc, CaseProjectionModel } from './case-projections';

export interface CaseFilter {
  status?: string;
  overdue?: boolean;
  townshipId?: string;
  departmentId?: string;
  matterCode?: string;
  urgency?: string;
  /** raisedAt in [from, to) */
  from?: string;
  to?: string;
}

export async function searchCases(
  model: CaseProjectionModel,
  filter: CaseFilter,
  page: number,
  pageSize: number,
): Promise<{ items: CaseProjectionDoc[]; total: number }> {
  const query: Record<string, unknown> = {};
  for (const key of ['status', 'townshipId', 'matterCode', 'urgency'] as const)
    if (filter[key] !== undefined) query[key] = filter[key];
  if (filter.overdue !== undefined) query.overdue = filter.overdue;
  // departmentIds is an array: equality matches a member
  if (filter.departmentId !== undefined) query.departmentIds = filter.departmentId;
  if (filter.from || filter.to) {
    query.raisedAt = mongoose.trusted({
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    });
  }
  const [items, total] = await Promise.all([
    model
      .find(query)
      .sort({ raisedAt: -1, _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    model.countDocuments(query),
  ]);
  return { items, total };
}
