import {
  addWorkingTime,
  CalendarRangeError,
  CN_CALENDAR,
  DEFAULT_SESSIONS,
  isWorkingDay,
  workingDaysToMs,
  workingTimeBetween,
  type WorkingCalendar,
} from '../../domain/calendar';

// Shanghai is UTC+8: 08:30 = 00:30Z, 09:00 = 01:00Z, 12:00 = 04:00Z, 13:30 = 05:30Z, 17:30 = 09:30Z.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const cal = CN_CALENDAR;
const at = (iso: string) => new Date(iso);
const add = (fromIso: string, ms: number) => addWorkingTime(cal, at(fromIso), ms).toISOString();
const between = (fromIso: string, toIso: string) => workingTimeBetween(cal, at(fromIso), at(toIso));

describe('when the day is an ordinary weekday, a weekend day, a holiday or an adjusted working day', () => {
  it('then Mon–Fri work, Sat/Sun rest, a listed holiday on a weekday rests and an adjusted Saturday/Sunday works', () => {
    expect(isWorkingDay(cal, '2026-03-02')).toBe(true); // Mon
    expect(isWorkingDay(cal, '2026-03-07')).toBe(false); // Sat
    expect(isWorkingDay(cal, '2026-03-08')).toBe(false); // Sun
    expect(isWorkingDay(cal, '2026-02-23')).toBe(false); // Mon, last day of the 9-day Spring Festival
    expect(isWorkingDay(cal, '2026-10-05')).toBe(false); // Mon, National Day
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true); // Sat, 春节 make-up day
    expect(isWorkingDay(cal, '2026-09-20')).toBe(true); // Sun, 国庆节 make-up day
  });

  it('then a string that is not a real date is refused', () => {
    expect(() => isWorkingDay(cal, '2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '2026-3-2')).toThrow(RangeError);
  });
});

describe('when the calendar data is checked against the 2026 notice', () => {
  const workingDaysOfYear = (year: number) => {
    let count = 0;
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 24 * HOUR) {
      if (isWorkingDay(cal, new Date(t).toISOString().slice(0, 10))) count += 1;
    }
    return count;
  };

  it('then every adjusted working day is a Saturday or Sunday of its own year', () => {
    for (const y of cal.years) {
      for (const d of y.adjustedWorkdays) {
        expect(d.startsWith(`${y.year}-`)).toBe(true);
        expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
      }
    }
  });

  it('then the Spring Festival 2026 is nine days off, Feb 15 to Feb 23, framed by working days', () => {
    expect(isWorkingDay(cal, '2026-02-13')).toBe(true);
    for (let d = 15; d <= 23; d += 1) expect(isWorkingDay(cal, `2026-02-${d}`)).toBe(false);
    expect(isWorkingDay(cal, '2026-02-24')).toBe(true);
  });

  it('then 2026 has 248 working days (261 weekdays less the 13 statutory days off; 19 weekdays off, 6 weekend days worked)', () => {
    expect(workingDaysOfYear(2026)).toBe(248);
  });

  it('then the provisional 2027 also nets out the 13 statutory days (261 weekdays, 248 working days)', () => {
    expect(workingDaysOfYear(2027)).toBe(248);
  });

  it('then each year names its source, and the derived 2027 says it is provisional', () => {
    expect(cal.years.find((y) => y.year === 2026)?.source).toMatch(
      /国务院办公厅关于2026年部分节假日安排的通知.*2025年11月4日/,
    );
    expect(cal.years.find((y) => y.year === 2027)?.source).toMatch(/PROVISIONAL/);
  });
});

describe('when working time runs into the lunch break', () => {
  it('then the lunch break is skipped', () => {
    // Mon 11:30 + 1 h = 12:00, then 13:30 + 30 min
    expect(add('2026-03-02T03:30:00.000Z', HOUR)).toBe('2026-03-02T06:00:00.000Z');
  });

  it('then a duration ending exactly at 12:00 returns 12:00, not 13:30', () => {
    expect(add('2026-03-02T03:00:00.000Z', HOUR)).toBe('2026-03-02T04:00:00.000Z');
  });
});

describe('when working time runs past the end of the day', () => {
  it('then it crosses midnight and goes on at 08:30 the next working day', () => {
    // Tue 17:00 + 1 h = 30 min Tue, 30 min Wed from 08:30
    expect(add('2026-03-03T09:00:00.000Z', HOUR)).toBe('2026-03-04T01:00:00.000Z');
  });

  it('then a duration ending exactly at 17:30 returns 17:30, not the next morning', () => {
    expect(add('2026-03-03T09:00:00.000Z', 30 * MINUTE)).toBe('2026-03-03T09:30:00.000Z');
  });

  it('then the day is the Shanghai day, not the UTC one (00:30 Shanghai is still the previous UTC day)', () => {
    // 2026-03-03T16:30Z is Wed 00:30 in Shanghai: counting starts Wed 08:30
    expect(add('2026-03-03T16:30:00.000Z', HOUR)).toBe('2026-03-04T01:30:00.000Z');
  });
});

describe('when working time runs into a weekend', () => {
  it('then Saturday and Sunday are skipped', () => {
    // Fri 17:00 + 1 h = 30 min Fri, 30 min Mon
    expect(add('2026-03-06T09:00:00.000Z', HOUR)).toBe('2026-03-09T01:00:00.000Z');
  });
});

describe('when working time runs into a public holiday', () => {
  it('then the whole National Day week is skipped', () => {
    // Wed 2026-09-30 17:00 + 1 h: Oct 1–7 are off, goes on Thu Oct 8
    expect(add('2026-09-30T09:00:00.000Z', HOUR)).toBe('2026-10-08T01:00:00.000Z');
  });
});

describe('when working time runs into an adjusted working day', () => {
  it('then the Saturday counts as a working day', () => {
    // Fri 2026-02-13 17:00 + 1 h: Sat Feb 14 is a 春节 make-up day
    expect(add('2026-02-13T09:00:00.000Z', HOUR)).toBe('2026-02-14T01:00:00.000Z');
  });
});

describe('when working time crosses the year end', () => {
  it('then it goes from 2026-12-31 over the 2027 New Year holiday to Mon 2027-01-04', () => {
    expect(add('2026-12-31T09:00:00.000Z', HOUR)).toBe('2027-01-04T01:00:00.000Z');
  });

  it('then workingTimeBetween counts the last day of 2026 and the first working morning of 2027', () => {
    // Thu Dec 31 09:00–17:30 = 7 h, Mon Jan 4 08:30–09:00 = 30 min
    expect(between('2026-12-31T01:00:00.000Z', '2027-01-04T01:00:00.000Z')).toBe(7.5 * HOUR);
  });
});

describe('when counting starts outside office hours', () => {
  it('then before 08:30 it starts at 08:30', () => {
    // Mon 07:00 Shanghai = Sun 23:00Z
    expect(add('2026-03-01T23:00:00.000Z', HOUR)).toBe('2026-03-02T01:30:00.000Z');
  });

  it('then during lunch it starts at 13:30', () => {
    expect(add('2026-03-02T04:30:00.000Z', HOUR)).toBe('2026-03-02T06:30:00.000Z');
  });

  it('then after 17:30 it starts at 08:30 the next working day', () => {
    expect(add('2026-03-02T11:00:00.000Z', HOUR)).toBe('2026-03-03T01:30:00.000Z');
  });

  it('then on a holiday it starts at 08:30 of the first working day after it', () => {
    // Sat 2026-10-03 10:00, inside the National Day week
    expect(add('2026-10-03T02:00:00.000Z', HOUR)).toBe('2026-10-08T01:30:00.000Z');
  });
});

describe('when the duration is zero', () => {
  it('then an instant inside office hours is returned as it is', () => {
    expect(add('2026-03-02T01:00:00.000Z', 0)).toBe('2026-03-02T01:00:00.000Z');
  });

  it('then an instant outside office hours moves to the next session start', () => {
    expect(add('2026-03-02T04:30:00.000Z', 0)).toBe('2026-03-02T05:30:00.000Z'); // lunch → 13:30
    expect(add('2026-03-02T04:00:00.000Z', 0)).toBe('2026-03-02T05:30:00.000Z'); // exactly 12:00 → 13:30
    expect(add('2026-03-06T09:30:00.000Z', 0)).toBe('2026-03-09T00:30:00.000Z'); // Fri 17:30 → Mon 08:30
  });
});

describe('when a duration is many working days long', () => {
  it('then 15 working days from Mon 08:30 end on the third Friday at 17:30', () => {
    expect(add('2026-03-02T00:30:00.000Z', workingDaysToMs(cal, 15))).toBe('2026-03-20T09:30:00.000Z');
  });

  it('then a working day is 7.5 hours', () => {
    expect(workingDaysToMs(cal, 1)).toBe(7.5 * HOUR);
    expect(workingDaysToMs(cal, 15)).toBe(15 * 7.5 * HOUR);
  });
});

describe('when measuring working time between two instants', () => {
  it('then a weekend in between counts nothing', () => {
    // Fri 16:00–17:30 = 1.5 h, Mon 08:30–10:00 = 1.5 h
    expect(between('2026-03-06T08:00:00.000Z', '2026-03-09T02:00:00.000Z')).toBe(3 * HOUR);
  });

  it('then a holiday in between counts nothing', () => {
    // Wed Sep 30 09:00–17:30 = 7 h, Oct 1–7 off, Thu Oct 8 08:30–09:00 = 30 min
    expect(between('2026-09-30T01:00:00.000Z', '2026-10-08T01:00:00.000Z')).toBe(7.5 * HOUR);
  });

  it('then the Spring Festival counts nothing but its Saturday make-up day does', () => {
    // Fri Feb 13 and Sat Feb 14 are full days, Feb 15–23 off
    expect(between('2026-02-13T00:30:00.000Z', '2026-02-24T00:30:00.000Z')).toBe(15 * HOUR);
  });

  it('then the lunch break counts nothing', () => {
    expect(between('2026-03-02T03:00:00.000Z', '2026-03-02T06:30:00.000Z')).toBe(2 * HOUR);
  });

  it('then an end not after the start gives 0', () => {
    expect(between('2026-03-02T02:00:00.000Z', '2026-03-02T02:00:00.000Z')).toBe(0);
    expect(between('2026-03-02T03:00:00.000Z', '2026-03-02T02:00:00.000Z')).toBe(0);
  });
});

describe('when a deadline is computed and the working time up to it is measured again', () => {
  const cases: [string, number][] = [
    ['2026-03-02T01:00:00.000Z', 1], // 1 ms
    ['2026-03-02T03:59:59.999Z', 2], // across lunch by a hair
    ['2026-03-02T04:30:00.000Z', 3.5 * HOUR], // from lunch
    ['2026-02-12T07:15:00.000Z', workingDaysToMs(cal, 2) + 17 * MINUTE], // into the Spring Festival
    ['2026-09-29T12:00:00.000Z', 4 * HOUR], // evening before National Day eve
    ['2026-12-30T05:00:00.000Z', workingDaysToMs(cal, 15)], // over the year end
    ['2026-04-03T09:29:00.000Z', 0], // zero
    ['2027-09-14T08:00:00.000Z', workingDaysToMs(cal, 15)], // over 中秋 and 国庆 2027
  ];

  it.each(cases)(
    'then workingTimeBetween(%s, addWorkingTime(…, %d ms)) gives the duration back',
    (fromIso, durationMs) => {
      const from = at(fromIso);
      const deadline = addWorkingTime(cal, from, durationMs);
      expect(workingTimeBetween(cal, from, deadline)).toBe(durationMs);
    },
  );
});

describe('when a computation needs a date outside the covered years', () => {
  it('then a 2025 date throws CalendarRangeError naming the date and the covered years', () => {
    expect(() => isWorkingDay(cal, '2025-12-31')).toThrow(CalendarRangeError);
    expect(() => isWorkingDay(cal, '2025-12-31')).toThrow(/2025-12-31.*2026, 2027/);
    expect(() => add('2025-12-31T01:00:00.000Z', HOUR)).toThrow(CalendarRangeError);
  });

  it('then running past the end of 2027 throws CalendarRangeError for 2028-01-01', () => {
    // Fri 2027-12-31 17:00 + 1 h needs the first days of 2028
    expect(() => add('2027-12-31T09:00:00.000Z', HOUR)).toThrow(/2028-01-01.*2026, 2027/);
    expect(() => between('2027-12-31T01:00:00.000Z', '2028-01-03T01:00:00.000Z')).toThrow(CalendarRangeError);
  });

  it('then an end exactly at midnight of 2028-01-01 Shanghai needs nothing from 2028', () => {
    expect(between('2027-12-31T01:00:00.000Z', '2027-12-31T16:00:00.000Z')).toBe(7 * HOUR);
  });

  it('then the error carries the date and the covered years', () => {
    try {
      isWorkingDay(cal, '2028-06-01');
      throw new Error('expected a CalendarRangeError');
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarRangeError);
      expect((e as CalendarRangeError).date).toBe('2028-06-01');
      expect((e as CalendarRangeError).coveredYears).toEqual([2026, 2027]);
      expect((e as CalendarRangeError).name).toBe('CalendarRangeError');
    }
  });
});

describe('when a calendar is built with other office hours or bad input', () => {
  const oneSession: WorkingCalendar = {
    version: 'test-1',
    timeZoneOffsetMinutes: 480,
    sessions: [{ start: '09:00', end: '17:00' }],
    years: [{ year: 2026, holidays: [], adjustedWorkdays: [], source: 'test' }],
  };

  it('then its own sessions define the working day', () => {
    expect(workingDaysToMs(oneSession, 1)).toBe(8 * HOUR);
    expect(addWorkingTime(oneSession, at('2026-03-02T04:00:00.000Z'), 2 * HOUR).toISOString()).toBe(
      '2026-03-02T06:00:00.000Z',
    );
  });

  it('then the default sessions are 08:30–12:00 and 13:30–17:30', () => {
    expect(DEFAULT_SESSIONS).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
  });

  it('then a negative duration, overlapping sessions or a date of the wrong year are refused', () => {
    expect(() => add('2026-03-02T01:00:00.000Z', -1)).toThrow(RangeError);
    const overlapping = {
      ...oneSession,
      sessions: [
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
    };
    expect(() => isWorkingDay(overlapping, '2026-03-02')).toThrow(/overlap/);
    const wrongYear = {
      ...oneSession,
      years: [{ year: 2026, holidays: ['2027-01-01'], adjustedWorkdays: [], source: 'test' }],
    };
    expect(() => isWorkingDay(wrongYear, '2026-03-02')).toThrow(/not a date of 2026/);
  });
});
