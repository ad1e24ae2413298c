/** The statistics' and rankings' queries (zod: a bad parameter is a 400 naming it) and their views. */
import { z } from 'zod';
import { URGENCIES } from '../../domain/case/enums';
import { ESCALATION_LEVELS } from '../../domain/sla';
import { TIERS } from '../../domain/ranking';
import { Id } from '../../domain/names';
import { MatterCode } from '../../domain/responsibility-list/schemas';

/** At most a year and a day: each month of the period is one indexed read. */
export const MAX_PERIOD_DAYS = 366;

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD / 日期格式应为 YYYY-MM-DD')
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
  }, 'no such date / 日期不存在');
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM / 月份格式应为 YYYY-MM');
const Format = z.enum(['json', 'csv']).default('json');

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** A period of local dates (Asia/Shanghai), both ends included; defaults to this month so far. */
const period = {
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  format: Format,
};
const checkPeriod = <T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.to < q.from)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from / 结束日期早于开始日期' });
  else if (q.from && q.to && days(q.from, q.to) > MAX_PERIOD_DAYS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `a period of at most ${MAX_PERIOD_DAYS} days / 统计区间最长 ${MAX_PERIOD_DAYS} 天`,
    });
};

export const DepartmentStatsQuery = z
  .strictObject({
    ...period,
    townshipId: Id.optional(),
    departmentId: Id.optional(),
    matterCode: MatterCode.optional(),
    urgency: z.enum(URGENCIES).optional(),
  })
  .superRefine(checkPeriod);
export const TownshipStatsQuery = z
  .strictObject({
    ...period,
    townshipId: Id.optional(),
    matterCode: MatterCode.optional(),
    urgency: z.enum(URGENCIES).optional(),
  })
  .superRefine(checkPeriod);
export const MatterStatsQuery = z
  .strictObject({ ...period, townshipId: Id.optional(), urgency: z.enum(URGENCIES).optional() })
  .superRefine(checkPeriod);
export const RankingQuery = z.strictObject({ month: Month.optional(), format: Format });
export const OpenStatsQuery = z.strictObject({ townshipId: Id.optional(), format: Format });

const Name = z.object({ zh: z.string(), en: z.string() });
const Rate = z.number().nullable().meta({ description: '0–1, null without cases to rate' });
const Minutes = z.object({ p50Minutes: z.number().nullable(), p90Minutes: z.number().nullable() });

export const DepartmentStatsView = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      departmentId: z.string(),
      name: Name,
      called: z.number().int(),
      reportedOnTime: z.number().int(),
      reportRate: Rate,
      onSiteOnTime: z.number().int(),
      reportTime: Minutes,
      resolveTime: Minutes,
      leadCases: z.number().int(),
      resolved: z.number().int(),
      resolutionRate: Rate,
      acceptedFirstTime: z.number().int(),
      sentBack: z.number().int(),
      satisfaction: z.object({
        speed: z.number().nullable(),
        attitude: z.number().nullable(),
        result: z.number().nullable(),
        count: z.number().int(),
      }),
      escalations: z.object(Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, z.number().int()]))),
      declines: z.object({ raised: z.number().int(), upheld: z.number().int() }),
      suspensions: z.number().int(),
    }),
  ),
});

export const TownshipStatsView = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      townshipId: z.string(),
      name: Name,
      raised: z.number().int(),
      withdrawn: z.number().int(),
      merged: z.number().int(),
      resolved: z.number().int(),
      resolutionRate: Rate,
      cooperation: z.object({ rating: z.number().nullable(), count: z.number().int() }),
      verifications: z.number().int(),
      verifiedInTime: z.number().int(),
      verificationTime: Minutes,
      gridReports: z.object({ filed: z.number().int(), handled: z.number().int(), whistled: z.number().int() }).meta({
        description:
          'grid reports (网格上报) filed, handled by the township itself and turned into whistles on the days of the period; the case filters (matter, department, urgency) do not apply to them',
      }),
    }),
  ),
});

export const OpenStatsView = z.object({
  totals: z.object({ open: z.number().int(), overdue: z.number().int() }),
  rows: z.array(
    z.object({
      townshipId: z.string(),
      township: Name,
      gridId: z.string().nullable().meta({ description: 'null: cases raised without a grid' }),
      grid: Name,
      open: z
        .number()
        .int()
        .meta({ description: 'cases not yet resolved and verified (dispatching to awaiting verification)' }),
      overdue: z.number().int().meta({ description: 'of them, cases with a clock past its deadline' }),
    }),
  ),
});

export const MatterStatsView = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({ matters: z.number().int(), used: z.number().int(), neverUsed: z.number().int() }),
  rows: z.array(
    z.object({
      code: z.string(),
      name: Name,
      category: z.string(),
      leadDepartmentId: z.string(),
      used: z.number().int(),
      disputes: z.object({ raised: z.number().int(), upheld: z.number().int() }),
      reassignments: z.number().int(),
    }),
  ),
  neverUsed: z.array(z.string()),
});

export const RankingView = z.object({
  month: z.string(),
  /** the month has ended in the working calendar's time zone: its figures no longer move */
  closed: z.boolean(),
  weights: z.object({ response: z.number(), resolution: z.number(), satisfaction: z.number() }),
  minCases: z.number().int(),
  rows: z.array(
    z.object({
      id: z.string(),
      name: Name,
      cases: z.number().int(),
      responseRate: Rate,
      resolutionRate: Rate,
      satisfaction: z.number().nullable().meta({ description: 'mean rating 1–5' }),
      score: z.number().nullable(),
      rank: z.number().int().nullable(),
      tier: z.enum(TIERS.map((t) => t.tier) as [string, ...string[]]).nullable(),
      tierZh: z.string().nullable(),
      flagged: z.boolean(),
      unranked: z.string().optional(),
    }),
  ),
});
