/**
 * Chinese public holidays and adjusted working days (调休上班), as set each year by the State
 * Council General Office (国务院办公厅): the built-in calendar, version 1. Each year is written as
 * its notice is published (holiday, first–last day off, weekend days worked), the same shape an
 * administrator loads through the API (`PUT /api/v1/calendar/years/{year}`), so each line can be
 * checked against the notice text. A loaded year replaces the year here in a new version; cases
 * keep the version they started with.
 */
import { DEFAULT_SESSIONS, type WorkingCalendar } from './calendar';
import { yearOfNotice, type HolidayNotice } from './notice';

export const CN_2026_NOTICE: HolidayNotice = {
  year: 2026,
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03', adjustedWorkdays: ['2026-01-04'] }, // Sun
    // 9 days (腊月二十八 to 正月初七); both make-up days are Saturdays
    { name: '春节', from: '2026-02-15', to: '2026-02-23', adjustedWorkdays: ['2026-02-14', '2026-02-28'] },
    { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', from: '2026-05-01', to: '2026-05-05', adjustedWorkdays: ['2026-05-09'] }, // Sat
    { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', from: '2026-10-01', to: '2026-10-07', adjustedWorkdays: ['2026-09-20', '2026-10-10'] }, // Sun, Sat
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
 * Loading the published notice for 2027 replaces it.
 */
export const CN_2027_PROVISIONAL_NOTICE: HolidayNotice = {
  year: 2027,
  provisional: true,
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' }, // Fri–Sun
    // 除夕 (Fri) to the Sunday after the 8 days; make-up Sun Jan 31 and Sat Feb 20
    { name: '春节', from: '2027-02-05', to: '2027-02-14', adjustedWorkdays: ['2027-01-31', '2027-02-20'] },
    { name: '清明节', from: '2027-04-03', to: '2027-04-05' }, // Sat–Mon
    // Sat–Wed (May 1–2 fall on the weekend: made up May 3–4); make-up Sat May 8
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05', adjustedWorkdays: ['2027-05-08'] },
    // a Wednesday: joining a weekend would cost two make-up days, so one day assumed
    { name: '端午节', from: '2027-06-09', to: '2027-06-09' },
    { name: '中秋节', from: '2027-09-15', to: '2027-09-15' }, // a Wednesday: likewise
    // Fri–Thu (Oct 2–3 fall on the weekend: made up Oct 4–5); make-up Sun Sep 26 and Sat Oct 9
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07', adjustedWorkdays: ['2027-09-26', '2027-10-09'] },
  ],
  source:
    'PROVISIONAL, not an official notice: derived from 《全国年节及纪念日放假办法》 (2024 revision) and recent 国务院办公厅 practice; ' +
    'replace with 国务院办公厅关于2027年部分节假日安排的通知 once published.',
};

/** The built-in notices, version 1 of the calendar: what every case started before loaded versions runs on. */
export const BUILT_IN_NOTICES: readonly HolidayNotice[] = [CN_2026_NOTICE, CN_2027_PROVISIONAL_NOTICE];

export const CN_2026 = yearOfNotice(CN_2026_NOTICE);
export const CN_2027_PROVISIONAL = yearOfNotice(CN_2027_PROVISIONAL_NOTICE);

export const CN_CALENDAR: WorkingCalendar = Object.freeze({
  version: 'cn-2026.2027p-v1',
  timeZoneOffsetMinutes: 480,
  sessions: DEFAULT_SESSIONS.map((s) => ({ ...s })),
  years: [CN_2026, CN_2027_PROVISIONAL],
});
