/**
 * SLA profiles: how long each step may take, on which clock, when to warn and how to escalate.
 * Presets follow the Beijing practice named in DOMAIN.md: urgent — report for duty within 30
 * minutes, on site within 2 hours, wall clock; normal — 2 working hours / 1 working day / 7 working
 * days; complex — 15 working days to resolve. Pure: deadlines come from the working calendar.
 */
import { addWorkingTime, workingDaysToMs, type WorkingCalendar } from './calendar';

// Plain types, no zod: this module runs inside every case workflow, and schema construction
// there would be repeated for each workflow run.

export const LIMIT_UNITS = ['minute', 'hour', 'working_hour', 'working_day'] as const;

export interface Limit {
  amount: number;
  unit: (typeof LIMIT_UNITS)[number];
}

export const ESCALATION_LEVELS = ['reminder', 'department_head', 'county_supervision', 'county_leadership'] as const;
export const RECIPIENTS = ['department', 'department_head', 'supervision_office', 'county_leadership'] as const;

export interface EscalationStep {
  level: (typeof ESCALATION_LEVELS)[number];
  /** how long after the breach this level is reached */
  after: Limit;
  notify: (typeof RECIPIENTS)[number][];
}

export interface SlaProfile {
  id: string;
  name: { zh: string; en: string };
  /** how long the dispatch desk has to classify and route an unclear whistle */
  classify: Limit;
  /** how long the supervisor has to rule on a department's decline (推诿 made visible) */
  arbitrate: Limit;
  acknowledge: Limit;
  onSite: Limit;
  resolve: Limit;
  verify: Limit;
  /** fractions of a limit at which a warning goes out before the breach */
  warnings: number[];
  escalation: EscalationStep[];
}

const wall = (amount: number, unit: 'minute' | 'hour'): Limit => ({ amount, unit });
const working = (amount: number, unit: 'working_hour' | 'working_day'): Limit => ({ amount, unit });

/** reminder at the breach, then up the ladder: the department head, county supervision, leadership */
function ladder(step: Limit): SlaProfile['escalation'] {
  const times = (n: number): Limit => ({ amount: step.amount * n, unit: step.unit });
  return [
    { level: 'reminder', after: times(0), notify: ['department'] },
    { level: 'department_head', after: times(1), notify: ['department', 'department_head'] },
    { level: 'county_supervision', after: times(2), notify: ['department_head', 'supervision_office'] },
    { level: 'county_leadership', after: times(4), notify: ['supervision_office', 'county_leadership'] },
  ];
}

const NORMAL: SlaProfile = {
  id: 'normal',
  name: { zh: '一般', en: 'Normal' },
  classify: working(1, 'working_hour'),
  arbitrate: working(1, 'working_day'),
  acknowledge: working(2, 'working_hour'),
  onSite: working(1, 'working_day'),
  resolve: working(7, 'working_day'),
  verify: working(3, 'working_day'),
  warnings: [0.5, 0.75, 0.9],
  escalation: ladder(working(1, 'working_day')),
};

export const SLA_PRESETS = {
  urgent: {
    id: 'urgent',
    name: { zh: '紧急', en: 'Urgent' },
    classify: wall(15, 'minute'),
    arbitrate: wall(2, 'hour'),
    acknowledge: wall(30, 'minute'),
    onSite: wall(2, 'hour'),
    resolve: wall(24, 'hour'),
    verify: wall(24, 'hour'),
    warnings: [0.5, 0.75, 0.9],
    escalation: ladder(wall(30, 'minute')),
  },
  normal: NORMAL,
  // a complex matter differs only in how long it may take to resolve, and climbs the ladder slower
  complex: {
    ...NORMAL,
    id: 'complex',
    name: { zh: '复杂', en: 'Complex' },
    resolve: working(15, 'working_day'),
    escalation: ladder(working(2, 'working_day')),
  },
  // 演练: every limit in minutes, for drills and training, and for the bench's lateness mode
  drill: {
    id: 'drill',
    name: { zh: '演练', en: 'Drill' },
    classify: wall(1, 'minute'),
    arbitrate: wall(2, 'minute'),
    acknowledge: wall(1, 'minute'),
    onSite: wall(2, 'minute'),
    resolve: wall(5, 'minute'),
    verify: wall(5, 'minute'),
    warnings: [0.5, 0.75, 0.9],
    escalation: ladder(wall(1, 'minute')),
  },
} as const satisfies Record<string, SlaProfile>;

export type SlaPresetId = keyof typeof SLA_PRESETS;
export const SLA_PRESET_IDS = Object.keys(SLA_PRESETS) as SlaPresetId[];

/** An urgent whistle runs on the urgent profile whatever the matter; otherwise the matter's own. */
export function profileFor(matterProfile: SlaPresetId | undefined, urgency: 'urgent' | 'normal'): SlaProfile {
  return urgency === 'urgent' ? SLA_PRESETS.urgent : SLA_PRESETS[matterProfile ?? 'normal'];
}

export function isWorkingTime(limit: Limit): boolean {
  return limit.unit === 'working_hour' || limit.unit === 'working_day';
}

/** The instant a limit runs out, counted from `from` on the wall clock or in working time. */
export function deadline(limit: Limit, from: Date, calendar: WorkingCalendar): Date {
  switch (limit.unit) {
    case 'minute':
      return new Date(from.getTime() + limit.amount * 60_000);
    case 'hour':
      return new Date(from.getTime() + limit.amount * 3_600_000);
    case 'working_hour':
      return addWorkingTime(calendar, from, limit.amount * 3_600_000);
    case 'working_day':
      return addWorkingTime(calendar, from, workingDaysToMs(calendar, limit.amount));
  }
}

/**
 * The dispatch desk's hours, a county setting: `24h` (staffed around the clock, as Shengzhou's
 * dispatch room is) counts the desk's limit on the wall clock; `office` in working time.
 */
export const DESK_HOURS = ['24h', 'office'] as const;
export type DeskHours = (typeof DESK_HOURS)[number];

/** The desk's limit under its hours: around the clock, working hours and days become wall-clock ones. */
export function deskLimit(classify: Limit, hours: DeskHours | undefined): Limit {
  if (hours !== '24h') return classify;
  if (classify.unit === 'working_hour') return { amount: classify.amount, unit: 'hour' };
  if (classify.unit === 'working_day') return { amount: classify.amount * 24, unit: 'hour' };
  return classify;
}
