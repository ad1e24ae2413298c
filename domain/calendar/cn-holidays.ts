/**
 * Chinese public holidays and adjusted working days (调休上班), as set each year by the State
 * Council General Office (国务院办公厅). Periods are written as in the notices (first–last day,
 * weekend days inside included) and expanded to single dates, so each line can be checked
 * against the notice text.
 *
 * When a new notice is published: replace or add the year, cite it in `source`, bump the version.
 */
import { DEFAULT_SESSIONS, type CalendarYear, type WorkingCalendar } from './calendar';

const DAY_MS = 86_400_000;

/** Every date from `first` to `last`, inclusive (YYYY-MM-DD). */
function period(first: string, last: string): string[] {
  const start = Date.parse(`${first}T00:00:00.000Z`);
  const end = Date.parse(`${last}T00:00:00.000Z`);
  if (!(start <= end)) throw new Error(`holiday period ${first}–${last} is not a range of dates`);
  const dates: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

export const CN_2026: CalendarYear = {
  year: 2026,
  holidays: [
    ...period('2026-01-01', '2026-01-03'), // 元旦
    ...period('2026-02-15', '2026-02-23'), // 春节, 9 days (腊月二十八 to 正月初七)
    ...period('2026-04-04', '2026-04-06'), // 清明节
    ...period('2026-05-01', '2026-05-05'), // 劳动节
    ...period('2026-06-19', '2026-06-21'), // 端午节
    ...period('2026-09-25', '2026-09-27'), // 中秋节
    ...period('2026-10-01', '2026-10-07'), // 国庆节
  ],
  adjustedWorkdays: [
    '2026-01-04', // Sun, 元旦
    '2026-02-14', // Sat, 春节
    '2026-02-28', // Sat, 春节
    '2026-05-09', // Sat, 劳动节
    '2026-09-20', // Sun, 国庆节
    '2026-10-10', // Sat, 国庆节
  ],
  source:
    '国务院办公厅关于2026年部分节假日安排的通知 (国务院办公厅, 2025年11月4日; ' +
    'https://www.gov.cn/zhengce/content/202511/content_7047090.htm, carried by Xinhua 2025-11-04). Official.',
};

/**
 * PROVISIONAL: the 2027 notice (expected around November 2026) was not found. Derived from the
 * statutory days of 《全国年节及纪念日放假办法》 (2024 revision: 元旦 1, 春节 4 from 除夕, 清明 1,
 * 劳动节 2, 端午 1, 中秋 1, 国庆 3), weekend statutory days made up on following weekdays, and the
 * recent practice (春节 8 days from 除夕, 劳动节 5, 国庆 7, at most 6 working days in a row).
 * Lunar dates checked astronomically: 除夕 Feb 5, 春节 Feb 6 (Sat), 清明 Apr 5 (Mon), 端午 Jun 9
 * (Wed), 中秋 Sep 15 (Wed). 2027 has the weekday layout of 2021, whose notice guided the rest.
 * The weekdays off are firm; which weekend days become working days is the least certain part.
 */
export const CN_2027_PROVISIONAL: CalendarYear = {
  year: 2027,
  holidays: [
    ...period('2027-01-01', '2027-01-03'), // 元旦, Fri–Sun
    ...period('2027-02-05', '2027-02-14'), // 春节, 除夕 (Fri) to the Sunday after the 8 days
    ...period('2027-04-03', '2027-04-05'), // 清明节, Sat–Mon
    ...period('2027-05-01', '2027-05-05'), // 劳动节, Sat–Wed (May 1–2 fall on the weekend: made up May 3–4)
    '2027-06-09', // 端午节, a Wednesday: joining a weekend would cost two make-up days, so one day assumed
    '2027-09-15', // 中秋节, a Wednesday: likewise
    ...period('2027-10-01', '2027-10-07'), // 国庆节, Fri–Thu (Oct 2–3 fall on the weekend: made up Oct 4–5)
  ],
  adjustedWorkdays: [
    '2027-01-31', // Sun, 春节
    '2027-02-20', // Sat, 春节
    '2027-05-08', // Sat, 劳动节
    '2027-09-26', // Sun, 国庆节
    '2027-10-09', // Sat, 国庆节
  ],
  source:
    'PROVISIONAL, not an official notice: derived from 《全国年节及纪念日放假办法》 (2024 revision) and recent 国务院办公厅 practice; ' +
    'replace with 国务院办公厅关于2027年部分节假日安排的通知 once published.',
};

export const CN_CALENDAR: WorkingCalendar = Object.freeze({
  version: 'cn-2026.2027p-v1',
  timeZoneOffsetMinutes: 480,
  sessions: DEFAULT_SESSIONS.map((s) => ({ ...s })),
  years: [CN_2026, CN_2027_PROVISIONAL],
});
