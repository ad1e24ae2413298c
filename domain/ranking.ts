/**
 * Monthly rankings (the Beijing practice: 响应率、解决率、满意率 ranked every month), as pure rules.
 *
 * - Composite score (0–100) = 100 × (0.4 × response rate + 0.3 × resolution rate + 0.3 × satisfaction),
 *   satisfaction being the mean rating (1–5) divided by 5. A part a unit has no figure for (no
 *   lead case, no rating yet) is left out and the other weights scaled up to sum to 1. The score is
 *   rounded to one decimal, and units with the same rounded score rank equal.
 * - Ties: competition ranking ("1224"): equal scores share a rank, the next rank skips.
 * - Tiers by score: 好 good ≥ 90, 较好 fairly good ≥ 80, 一般 average ≥ 60, 较差 poor < 60; the poor tier
 *   is flagged for the supervisor (督办).
 * - A unit with fewer than MIN_CASES cases in the month is listed unranked, with the reason.
 */
import { round } from './stats';

export const WEIGHTS = { response: 0.4, resolution: 0.3, satisfaction: 0.3 } as const;
export const MIN_CASES = 3;

export const TIERS = [
  { tier: 'good', zh: '好', min: 90 },
  { tier: 'fair', zh: '较好', min: 80 },
  { tier: 'average', zh: '一般', min: 60 },
  { tier: 'poor', zh: '较差', min: 0 },
] as const;
export type Tier = (typeof TIERS)[number]['tier'];

export interface RankingInput {
  id: string;
  /** the cases the unit is ranked on */
  cases: number;
  /** 0–1, or null without cases to rate */
  responseRate: number | null;
  resolutionRate: number | null;
  /** mean rating 1–5, or null without ratings */
  satisfaction: number | null;
}

export type RankedUnit = RankingInput & {
  score: number | null;
  rank: number | null;
  tier: Tier | null;
  tierZh: string | null;
  flagged: boolean;
  /** why a unit is not ranked */
  unranked?: string;
};

/** The composite score, 0–100 to one decimal; null when the unit has no figure at all. */
export function compositeScore(
  u: Pick<RankingInput, 'responseRate' | 'resolutionRate' | 'satisfaction'>,
): number | null {
  const parts = [
    [WEIGHTS.response, u.responseRate],
    [WEIGHTS.resolution, u.resolutionRate],
    [WEIGHTS.satisfaction, u.satisfaction === null ? null : u.satisfaction / 5],
  ].filter((p): p is [number, number] => p[1] !== null);
  const weight = parts.reduce((sum, [w]) => sum + w, 0);
  if (weight === 0) return null;
  return round((100 * parts.reduce((sum, [w, x]) => sum + w * x, 0)) / weight, 1);
}

export function tierOf(score: number): (typeof TIERS)[number] {
  return TIERS.find((t) => score >= t.min)!;
}

/** Ranks units by composite score, best first; the unranked after them, by id. */
export function rank(units: RankingInput[]): RankedUnit[] {
  const scored = units.map((u) => {
    const score = compositeScore(u);
    const unranked =
      u.cases < MIN_CASES
        ? `fewer than ${MIN_CASES} cases this month / 本月案件少于 ${MIN_CASES} 件`
        : score === null
          ? 'no figures to rank on / 无可排名数据'
          : undefined;
    return { ...u, score, unranked };
  });
  const ranked = scored
    .filter((u) => !u.unranked)
    .sort((a, b) => b.score! - a.score! || a.id.localeCompare(b.id))
    .map((u, i, all) => {
      const t = tierOf(u.score!);
      const rankOf = all.findIndex((v) => v.score === u.score) + 1; // competition ranking
      return { ...u, rank: rankOf, tier: t.tier, tierZh: t.zh, flagged: t.tier === 'poor', unranked: undefined };
    });
  const rest = scored
    .filter((u) => u.unranked)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((u) => ({ ...u, rank: null, tier: null, tierZh: null, flagged: false }));
  return [...ranked, ...rest].map(({ unranked, ...u }) => ({ ...u, ...(unranked ? { unranked } : {}) }));
}
