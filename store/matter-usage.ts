/**
 * How often each matter was whistled, disputed and reassigned — the question Dongying asked of its
 * delegated powers (only 44.6 % in normal use). Counted from the case projections with one $group.
 */
import type { CaseProjectionModel } from './case-projections';

export interface MatterCounts {
  whistled: number;
  disputed: number;
  reassigned: number;
}

export async function usageByMatter(cases: CaseProjectionModel): Promise<Map<string, MatterCounts>> {
  const rows = await cases.aggregate<{ _id: string | null } & MatterCounts>([
    {
      $group: {
        _id: '$matterCode',
        whistled: { $sum: 1 },
        disputed: { $sum: '$disputeCount' },
        reassigned: { $sum: '$reassignCount' },
      },
    },
  ]);
  return new Map(rows.filter((r) => r._id).map(({ _id, ...counts }) => [_id!, counts]));
}
