/** The statistics' fold: the one writer of the rollups (store/stats-rollups.ts), run by a Schedule. */
import { foldRollups, type FoldResult, type RollupModels } from '../store/stats-rollups';

export function rollupActivities(models: RollupModels) {
  async function foldStatsRollups(): Promise<FoldResult> {
    return foldRollups(models, new Date());
  }
  return { foldStatsRollups };
}
