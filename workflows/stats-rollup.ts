/**
 * Folds the statistics' changes into their rollups (run by the Temporal Schedule `stats-rollup`
 * every minute, overlaps skipped): the schedule is what makes the fold the rollups' only writer.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FoldResult } from '../store/stats-rollups';

const { foldStatsRollups } = proxyActivities<Activities>({
  // the first run builds every rollup from all the facts (a one-off scan)
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 10 },
});

export async function statsRollup(): Promise<FoldResult> {
  return foldStatsRollups();
}
