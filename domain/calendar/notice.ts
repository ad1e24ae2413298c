/**
 * A year's public holidays as the State Council General Office (国务院办公厅) publishes them: each
 * holiday a name, a first and a last day off (weekend days inside included), and the weekend days
 * worked instead (调休上班). An administrator loads a notice as data; this module checks it (a bad
 * date, an overlap, a date of another year) and turns it into the calendar's day lists, and into the
 * compact form a case keeps for its whole life.
 *
 * Pure and zod-free: the compact form is read inside the case workflow.
 */
import type { CalendarYear } from './calendar';

export interface NoticeHoliday {
  /** as the notice names it: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 */
  name: string;
  /** YYYY-MM-DD, first day off */
  from: string;
  /** YYYY-MM-DD, last day off (the same as `from` for a single day) */
  to: string;
  /** YYYY-MM-DD Saturdays or Sundays worked for this holiday (调休上班) */
  adjustedWorkdays?: string[];
}

export interface HolidayNotice {
  year: number;
  /** the notice's title and date, or where the data comes from */
  source: string;
  /** derived rather than published: counted as data, but flagged (and never silences the warning) */
  provisional?: boolean;
  holidays: NoticeHoliday[];
}

/** What a case keeps of its calendar version: per year, holiday periods ("from/to" or one date) and worked weekend days. */
export interface CompactYear {
  year: number;
  holidays: string[];
  adjustedWorkdays: string[];
}

export interface NoticeProblem {
  field: string;
  reason: string;
}

const DAY_MS = 86_400_000;
const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Days since 1970-01-01 of a real YYYY-MM-DD date, or undefined (2027-02-30 is not one). */
function dayOf(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(date) ? ms / DAY_MS : undefined;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

/** Every date from `from` to `to`, inclusive. */
export function datesOf(from: string, to: string): string[] {
  const first = dayOf(from);
  const last = dayOf(to);
  if (first === undefined || last === undefined || last < first)
    throw new RangeError(`holiday period ${from}–${to} is not a range of dates`);
  return Array.from({ length: last - first + 1 }, (_, i) => dateOf(first + i));
}

/**
 * Everything wrong with a notice for `year`, each naming the field and the date: empty when it may
 * be loaded. Bilingual, as a clerk reads it.
 */
export function checkNotice(year: number, notice: HolidayNotice): NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  if (notice.year !== year)
    problems.push({
      field: 'year',
      reason: `the notice is for ${notice.year}, loaded as ${year} / 通知年度与载入年度不符`,
    });
  const periods: { name: string; first: number; last: number; field: string }[] = [];
  const worked = new Map<string, string>();
  notice.holidays.forEach((h, i) => {
    const at = `holidays[${i}]`;
    const first = checkDate(year, h.from, `${at}.from`, problems);
    const last = checkDate(year, h.to, `${at}.to`, problems);
    if (first !== undefined && last !== undefined) {
      if (last < first)
        problems.push({
          field: `${at}.to`,
          reason: `${h.name} ends ${h.to}, before it starts ${h.from} / 假期结束早于开始`,
        });
      else periods.push({ name: h.name, first, last, field: at });
    }
    (h.adjustedWorkdays ?? []).forEach((d, j) => {
      const field = `${at}.adjustedWorkdays[${j}]`;
      const day = checkDate(year, d, field, problems);
      if (day === undefined) return;
      const weekday = weekdayOf(day);
      if (weekday !== 0 && weekday !== 6)
        problems.push({
          field,
          reason: `${d} is a ${WEEKDAY_EN[weekday]}: an adjusted working day is a Saturday or Sunday / ${d}为${WEEKDAY_ZH[weekday]}，调休上班日应为周六或周日`,
        });
      const twice = worked.get(d);
      if (twice) problems.push({ field, reason: `${d} is listed twice (also for ${twice}) / 调休上班日重复` });
      worked.set(d, h.name);
    });
  });
  periods.sort((a, b) => a.first - b.first);
  periods.forEach((p, i) => {
    const next = periods[i + 1];
    if (next && next.first <= p.last)
      problems.push({
        field: next.field,
        reason: `${next.name} (${dateOf(next.first)}–${dateOf(next.last)}) overlaps ${p.name} (${dateOf(p.first)}–${dateOf(p.last)}) / 假期重叠`,
      });
  });
  for (const [d, name] of worked) {
    const inside = periods.find((p) => dayOf(d)! >= p.first && dayOf(d)! <= p.last);
    if (inside)
      problems.push({
        field: 'holidays',
        reason: `${d}, worked for ${name}, falls inside ${inside.name} (${dateOf(inside.first)}–${dateOf(inside.last)}) / 调休上班日落在假期内`,
      });
  }
  return problems;
}

function checkDate(year: number, date: string, field: string, problems: NoticeProblem[]): number | undefined {
  const day = dayOf(date);
  if (day === undefined) {
    problems.push({ field, reason: `'${date}' is not a date (YYYY-MM-DD) / 日期无效` });
    return undefined;
  }
  if (Number(date.slice(0, 4)) !== year) {
    problems.push({ field, reason: `${date} is not in ${year}, the year loaded / 日期不在${year}年度内` });
    return undefined;
  }
  return day;
}

/** The calendar's day lists for a checked notice. */
export function yearOfNotice(notice: HolidayNotice): CalendarYear {
  return {
    year: notice.year,
    holidays: notice.holidays.flatMap((h) => datesOf(h.from, h.to)),
    adjustedWorkdays: notice.holidays.flatMap((h) => h.adjustedWorkdays ?? []),
    source: notice.source,
  };
}

/** What a case keeps of one year: periods, not day lists, to stay small in its state and history. */
export function compactOfNotice(notice: HolidayNotice): CompactYear {
  return {
    year: notice.year,
    holidays: notice.holidays.map((h) => (h.from === h.to ? h.from : `${h.from}/${h.to}`)),
    adjustedWorkdays: notice.holidays.flatMap((h) => h.adjustedWorkdays ?? []),
  };
}

/** The calendar's day lists for a year a case keeps. */
export function yearOfCompact(y: CompactYear): CalendarYear {
  return {
    year: y.year,
    holidays: y.holidays.flatMap((p) => {
      const [from = p, to = from] = p.split('/');
      return datesOf(from, to);
    }),
    adjustedWorkdays: [...y.adjustedWorkdays],
    source: 'kept by the case',
  };
}
