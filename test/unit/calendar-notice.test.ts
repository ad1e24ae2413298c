/**
 * The calendar as data: a year's notice as the State Council publishes it, read from JSON or CSV,
 * checked (a bad date, an overlap, another year), turned into a version and into what a case keeps,
 * and how long the data lasts from a given day.
 */
import { noticeRowsOfCsv } from '../../api/calendar/csv';
import { NoticeBody } from '../../api/calendar/schemas';
import {
  BUILT_IN_NOTICES,
  CN_2027_PROVISIONAL_NOTICE,
  checkNotice,
  compactOfNotice,
  isWorkingDay,
  yearOfCompact,
  yearOfNotice,
  type HolidayNotice,
} from '../../domain/calendar';
import { caseCalendarOf, coverageOf, withNotice } from '../../domain/calendar/versions';
import { calendarOf, CURRENT_CALENDAR_VERSION } from '../../domain/calendars';

/** A 2027 notice as it could be published: 端午 joined to the weekend (Jun 9–11 off, Sat Jun 12 worked). */
const notice2027 = (): HolidayNotice => ({
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知 (test)',
  holidays: CN_2027_PROVISIONAL_NOTICE.holidays.map((h) =>
    h.name === '端午节'
      ? { name: '端午节', from: '2027-06-09', to: '2027-06-11', adjustedWorkdays: ['2027-06-12'] }
      : h,
  ),
});

const reasons = (n: HolidayNotice, year = n.year) => checkNotice(year, n).map((p) => `${p.field}: ${p.reason}`);

describe('when the built-in notices are checked like a loaded one', () => {
  it('then 2026 and the provisional 2027 have no problem', () => {
    for (const n of BUILT_IN_NOTICES) expect(reasons(n)).toEqual([]);
  });
});

describe('when a notice comes as JSON', () => {
  it('then the published shape is accepted and expands to days off and weekend days worked', () => {
    const body = NoticeBody.parse({
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
        { name: '春节', from: '2027-02-05', to: '2027-02-14', adjustedWorkdays: ['2027-01-31', '2027-02-20'] },
      ],
    });
    const n = { year: 2027, ...body };
    expect(reasons(n)).toEqual([]);
    const y = yearOfNotice(n);
    expect(y.holidays).toHaveLength(13);
    expect(y.adjustedWorkdays).toEqual(['2027-01-31', '2027-02-20']);
  });

  it('then an unknown field is a shape error, not silently dropped', () => {
    expect(
      NoticeBody.safeParse({ source: 's', holidays: [{ name: '元旦', from: 'a', to: 'b', days: 3 }] }).success,
    ).toBe(false);
  });

  it('then a date that does not exist is named', () => {
    const n = notice2027();
    n.holidays[1] = { ...n.holidays[1]!, to: '2027-02-30' };
    expect(reasons(n)).toEqual(["holidays[1].to: '2027-02-30' is not a date (YYYY-MM-DD) / 日期无效"]);
  });

  it('then a period ending before it starts is named', () => {
    const n = notice2027();
    n.holidays[0] = { name: '元旦', from: '2027-01-03', to: '2027-01-01' };
    expect(reasons(n)).toEqual([
      'holidays[0].to: 元旦 ends 2027-01-01, before it starts 2027-01-03 / 假期结束早于开始',
    ]);
  });

  it('then two overlapping holidays are named with their dates', () => {
    const n = notice2027();
    n.holidays.push({ name: '国庆节补充', from: '2027-10-07', to: '2027-10-08' });
    expect(reasons(n)).toEqual([
      'holidays[7]: 国庆节补充 (2027-10-07–2027-10-08) overlaps 国庆节 (2027-10-01–2027-10-07) / 假期重叠',
    ]);
  });

  it('then a year mismatch is named: the notice year, and a date of another year', () => {
    expect(reasons(notice2027(), 2028)[0]).toBe(
      'year: the notice is for 2027, loaded as 2028 / 通知年度与载入年度不符',
    );
    const n = notice2027();
    n.holidays[0] = { name: '元旦', from: '2026-12-31', to: '2027-01-02' };
    expect(reasons(n)).toEqual(['holidays[0].from: 2026-12-31 is not in 2027, the year loaded / 日期不在2027年度内']);
  });

  it('then an adjusted working day on a weekday, inside a holiday, or listed twice is named', () => {
    const n = notice2027();
    n.holidays[0] = { name: '元旦', from: '2027-01-01', to: '2027-01-03', adjustedWorkdays: ['2027-01-06'] };
    n.holidays[2] = { ...n.holidays[2]!, adjustedWorkdays: ['2027-04-03'] };
    n.holidays[3] = { ...n.holidays[3]!, adjustedWorkdays: ['2027-05-08', '2027-01-31'] };
    expect(reasons(n)).toEqual([
      'holidays[0].adjustedWorkdays[0]: 2027-01-06 is a Wednesday: an adjusted working day is a Saturday or Sunday / 2027-01-06为周三，调休上班日应为周六或周日',
      'holidays[3].adjustedWorkdays[1]: 2027-01-31 is listed twice (also for 春节) / 调休上班日重复',
      'holidays: 2027-04-03, worked for 清明节, falls inside 清明节 (2027-04-03–2027-04-05) / 调休上班日落在假期内',
    ]);
  });
});

describe('when a notice comes as CSV', () => {
  const csv = [
    '\uFEFFholiday,from,to,adjustedWorkdays',
    '元旦,2027-01-01,2027-01-03,',
    '春节,2027-02-05,2027-02-14,2027-01-31；2027-02-20',
    '端午节,2027-06-09,2027-06-11,2027-06-12',
    '',
  ].join('\n');

  it('then each row is a holiday with its line, the worked days split on ; (either width)', () => {
    expect(noticeRowsOfCsv(csv)).toEqual([
      { line: 2, value: { name: '元旦', from: '2027-01-01', to: '2027-01-03', adjustedWorkdays: [] } },
      {
        line: 3,
        value: { name: '春节', from: '2027-02-05', to: '2027-02-14', adjustedWorkdays: ['2027-01-31', '2027-02-20'] },
      },
      { line: 4, value: { name: '端午节', from: '2027-06-09', to: '2027-06-11', adjustedWorkdays: ['2027-06-12'] } },
    ]);
  });

  it('then a wrong header is named with the expected one', () => {
    expect(noticeRowsOfCsv('name,start,end\n元旦,2027-01-01,2027-01-03\n')).toMatch(
      /^the header must be holiday,from,to,adjustedWorkdays; missing holiday, from, to, adjustedWorkdays/,
    );
    expect(noticeRowsOfCsv('holiday,from,to,adjustedWorkdays\n')).toMatch(/then one row per holiday/);
    expect(noticeRowsOfCsv('')).toMatch(/missing holiday/);
  });
});

describe('when a notice makes a new version', () => {
  it('then the provisional 2027 is replaced by the published one, and 2028 may follow', () => {
    const years = withNotice(BUILT_IN_NOTICES, notice2027());
    expect(Array.isArray(years) && years.map((y) => `${y.year}${y.provisional ? 'p' : ''}`)).toEqual(['2026', '2027']);
    const next = withNotice(years as HolidayNotice[], { year: 2028, source: 't', holidays: [] });
    expect(Array.isArray(next) && next.map((y) => y.year)).toEqual([2026, 2027, 2028]);
  });

  it('then a year leaving a gap is refused, naming the year to load first', () => {
    expect(withNotice(BUILT_IN_NOTICES, { year: 2029, source: 't', holidays: [] })).toEqual({
      field: 'year',
      reason: 'the calendar covers 2026–2027: load 2028 first, years follow each other / 年度须连续，请先载入2028年',
    });
  });

  it('then what a case keeps is periods, and expands to the same days as the notice', () => {
    const n = notice2027();
    expect(compactOfNotice(n).holidays).toContain('2027-02-05/2027-02-14');
    expect(compactOfNotice(n).holidays).toContain('2027-09-15');
    const kept = yearOfCompact(compactOfNotice(n));
    expect([...kept.holidays].sort()).toEqual([...yearOfNotice(n).holidays].sort());
    expect(kept.adjustedWorkdays).toEqual(yearOfNotice(n).adjustedWorkdays);
  });

  it('then a case with kept data runs on it, and a case without runs on the built-in version', () => {
    const years = withNotice(BUILT_IN_NOTICES, notice2027()) as HolidayNotice[];
    const loaded = calendarOf({ calendarVersion: 'cn-v2', calendar: caseCalendarOf(years, 2027) });
    const builtIn = calendarOf({ calendarVersion: CURRENT_CALENDAR_VERSION });
    expect([isWorkingDay(loaded, '2027-06-10'), isWorkingDay(loaded, '2027-06-12')]).toEqual([false, true]);
    expect([isWorkingDay(builtIn, '2027-06-10'), isWorkingDay(builtIn, '2027-06-12')]).toEqual([true, false]);
    // raised in 2027, it keeps 2027 on only
    expect(() => isWorkingDay(loaded, '2026-12-01')).toThrow(/2026-12-01/);
  });
});

describe('when the data runs out', () => {
  it('then on 2026-12-01 with 2027 provisional, 30 official days are left and the warning names the 2027 notice', () => {
    const c = coverageOf(BUILT_IN_NOTICES, '2026-12-01');
    expect(c.daysLeft).toEqual({ official: 30, includingProvisional: 395 });
    expect(c.until).toEqual({ official: '2026-12-31', includingProvisional: '2027-12-31' });
    expect(c.warning).toMatch(
      /ends 2026-12-31 \(30 days left\); 2027 is provisional.*PUT \/api\/v1\/calendar\/years\/2027/,
    );
  });

  it('then loading the published 2027 silences it until 60 days before 2027 ends', () => {
    const years = withNotice(BUILT_IN_NOTICES, notice2027()) as HolidayNotice[];
    expect(coverageOf(years, '2026-12-01').warning).toBeUndefined();
    expect(coverageOf(years, '2027-10-31')).toMatchObject({ daysLeft: { official: 61 } });
    expect(coverageOf(years, '2027-10-31').warning).toBeUndefined();
    expect(coverageOf(years, '2027-11-01').warning).toMatch(/ends 2027-12-31 \(60 days left\).*2028 notice/);
  });

  it('then a day past every year has no days left', () => {
    expect(coverageOf(BUILT_IN_NOTICES, '2028-01-02')).toMatchObject({
      daysLeft: { official: 0, includingProvisional: 0 },
      nextYear: 2028,
      warning: expect.stringMatching(/no official holiday data for 2028/),
    });
  });
});
