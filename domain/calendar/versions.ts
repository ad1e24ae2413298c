/**
 * Calendar versions as data: a loaded notice makes a new version from the one in force (its year
 * replaced or added), how long the data lasts from a given day (and whether to warn), and the
 * compact part of a version a new case keeps. Pure: today is passed in.
 */
import { compactOfNotice, type HolidayNotice, type NoticeProblem } from './notice';

/** Warn this many days before the official data runs out. */
export const WARNING_DAYS = 60;

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;

/**
 * The years of the version a loaded notice makes: the notice's year replaced (a provisional year by
 * the published one, or a correction) or added right after the last year. A gap would leave days
 * no deadline can be computed for, so a year further on is refused until the one before is loaded.
 */
export function withNotice(years: readonly HolidayNotice[], notice: HolidayNotice): HolidayNotice[] | NoticeProblem {
  const first = years[0]?.year ?? notice.year;
  const last = years[years.length - 1]?.year ?? notice.year - 1;
  if (notice.year < first || notice.year > last + 1)
    return {
      field: 'year',
      reason: `the calendar covers ${first}–${last}: load ${notice.year < first ? `a year from ${first}` : `${last + 1} first`}, years follow each other / 年度须连续，请先载入${notice.year < first ? first : last + 1}年`,
    };
  const loaded = { ...notice, provisional: false };
  return [...years.filter((y) => y.year !== notice.year), loaded].sort((a, b) => a.year - b.year);
}

export interface Coverage {
  /** YYYY-MM-DD in Shanghai */
  today: string;
  /** the last day of data from today on, without a gap: provisional years included / official years only */
  until: { includingProvisional?: string; official?: string };
  daysLeft: { includingProvisional: number; official: number };
  provisionalYears: number[];
  /** the year an administrator should load next */
  nextYear: number;
  /** set from WARNING_DAYS before the official data runs out */
  warning?: string;
}

/**
 * How long the calendar's data lasts from `today`. Provisional data keeps cases running (their
 * deadlines use the derived dates) but is a guess: the warning counts official data only, so it
 * stands until the published notice is loaded.
 */
export function coverageOf(years: readonly HolidayNotice[], today: string): Coverage {
  const lastOf = (counts: (y: HolidayNotice) => boolean) => {
    let year = Number(today.slice(0, 4));
    while (years.some((y) => y.year === year && counts(y))) year += 1;
    return year === Number(today.slice(0, 4)) ? undefined : `${year - 1}-12-31`;
  };
  const includingProvisional = lastOf(() => true);
  const official = lastOf((y) => !y.provisional);
  const left = (until: string | undefined) => (until ? dayOf(until) - dayOf(today) : 0);
  const daysLeft = { includingProvisional: left(includingProvisional), official: left(official) };
  const nextYear = official ? Number(official.slice(0, 4)) + 1 : Number(today.slice(0, 4));
  const provisionalYears = years.filter((y) => y.provisional).map((y) => y.year);
  const coverage: Coverage = {
    today,
    until: { ...(includingProvisional ? { includingProvisional } : {}), ...(official ? { official } : {}) },
    daysLeft,
    provisionalYears,
    nextYear,
  };
  if (daysLeft.official > WARNING_DAYS) return coverage;
  const ends = official
    ? `the official holiday data ends ${official} (${daysLeft.official} days left)`
    : `there is no official holiday data for ${today.slice(0, 4)}`;
  const guessed = provisionalYears.includes(nextYear) ? `; ${nextYear} is provisional (derived, not the notice)` : '';
  return {
    ...coverage,
    warning:
      `working calendar: ${ends}${guessed}; an administrator loads the State Council's ${nextYear} notice: PUT /api/v1/calendar/years/${nextYear}` +
      ` / 工作日历官方数据${official ? `将于${official}用完（剩${daysLeft.official}天）` : '缺失'}，请管理员载入国务院办公厅${nextYear}年节假日安排通知`,
  };
}

/** What a case raised in `fromYear` keeps of a loaded version: that year and the ones after, compact. */
export function caseCalendarOf(years: readonly HolidayNotice[], fromYear: number) {
  return { years: years.filter((y) => y.year >= fromYear).map(compactOfNotice) };
}
