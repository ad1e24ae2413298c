/** The monthly ranking's pure rules: the composite score, ties ranked equal, tiers, the minimum. */
import { compositeScore, MIN_CASES, rank, tierOf } from '../../domain/ranking';
import { percentile } from '../../domain/stats';
import { localDateOf, monthSpan, CN_CALENDAR } from '../../domain/calendar';

const unit = (id: string, cases: number, r: number | null, s: number | null, sat: number | null) => ({
  id,
  cases,
  responseRate: r,
  resolutionRate: s,
  satisfaction: sat,
});

describe('when a unit is scored', () => {
  it('then the score is 100 × (0.4 response + 0.3 resolution + 0.3 × satisfaction / 5), to a tenth', () => {
    // 100 × (0.4 × 0.75 + 0.3 × 0.5 + 0.3 × 4.5 / 5) = 100 × (0.3 + 0.15 + 0.27) = 72
    expect(compositeScore(unit('a', 4, 0.75, 0.5, 4.5))).toBe(72);
  });
  it('then a part without a figure is left out and the other weights scaled up', () => {
    // no ratings: 100 × (0.4 × 1 + 0.3 × 0.5) / 0.7 = 55 / 0.7 = 78.57… → 78.6
    expect(compositeScore(unit('a', 4, 1, 0.5, null))).toBe(78.6);
    expect(compositeScore(unit('a', 4, null, null, null))).toBeNull();
  });
});

describe('when units are ranked', () => {
  it('then equal scores share a rank and the next skips (1, 2, 2, 4); the poor tier is flagged; too few cases are unranked', () => {
    const ranked = rank([
      unit('d', 5, 0.5, 0.5, 2.5), // 100 × (0.2 + 0.15 + 0.15) = 50 → 较差, flagged
      unit('b', 3, 1, 1, 4), // 100 × (0.4 + 0.3 + 0.24) = 94 → 好
      unit('c', 3, 1, 1, 4), // 94, tied with b
      unit('a', 9, 1, 1, 5), // 100 → 好
      unit('e', MIN_CASES - 1, 1, 1, 5), // too few
      unit('f', 4, 0.9, 0.8, 4), // 100 × (0.36 + 0.24 + 0.24) = 84 → 较好
    ]);
    expect(ranked.map((r) => `${r.id} ${r.rank} ${r.score} ${r.tierZh} ${r.flagged}`)).toEqual([
      'a 1 100 好 false',
      'b 2 94 好 false',
      'c 2 94 好 false',
      'f 4 84 较好 false',
      'd 5 50 较差 true',
      'e null 100 null false',
    ]);
    expect(ranked.at(-1)!.unranked).toMatch(/fewer than 3 cases/);
  });
  it('then the tiers start at 90, 80 and 60', () => {
    expect([90, 89.9, 80, 79.9, 60, 59.9].map((s) => tierOf(s).tier)).toEqual([
      'good',
      'fair',
      'fair',
      'average',
      'average',
      'poor',
    ]);
  });
});

describe('when percentiles and months are read', () => {
  it('then a percentile is nearest-rank and a month runs from local midnight to local midnight', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20); // ceil(0.5 × 4) = 2nd
    expect(percentile([10, 20, 30, 40], 90)).toBe(40); // ceil(0.9 × 4) = 4th
    expect(percentile([], 50)).toBeNull();
    expect(monthSpan(CN_CALENDAR, '2026-12')).toEqual({
      start: new Date('2026-11-30T16:00:00.000Z'),
      end: new Date('2026-12-31T16:00:00.000Z'),
    });
    expect(localDateOf(CN_CALENDAR, new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
  });
});
