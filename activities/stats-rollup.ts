/**
 * The statistics' fold: the one writer of the rollups (store/stats-rollups.ts) and of the grid
 * reports' tallies (store/grid-reports.ts), run by the `stats-rollup` Schedule.
 */
import type { GridReports } from '../store/grid-reports';
import { foldRollups, type FoldResult, type RollupModels } from '../store/stats-rollups';

export function rollupActivities(models: RollupModels, gridReports: GridReports) {
  /** The cases' rollups, then the grid reports' monthly tallies: both written by this fold only. */
  async function foldStatsRollups(): Promise<FoldResult> {
    const now = new Date();
    const folded = await foldRollups(models, now);
    await gridReports.foldTallies(now);
    return folded;
  }
  return { foldStatsRollups };
}
