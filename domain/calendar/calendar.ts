/**
 * The working calendar: which days are working days and how much office time lies between two
 * instants. Normal matters are timed in working time (DOMAIN.md), so deadlines skip nights, lunch
 * breaks, weekends and public holidays, and count the adjusted working days (调休上班).
 *
 * Pure and deterministic: this runs inside the Temporal workflow sandbox, so no clock, no Intl, no
 * time-zone database. Asia/Shanghai has been UTC+8 all year since 1991, so a fixed offset is exact.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface CalendarYear {
  year: number;
  /** YYYY-MM-DD (Shanghai) days off although they may fall on Mon–Fri; weekend days inside a holiday period may be listed too */
  holidays: string[];
  /** YYYY-MM-DD (Shanghai) Saturdays/Sundays that are working days (调休 / 补班) */
  adjustedWorkdays: string[];
  /** where the dates come from (notice title and date), and whether they are provisional */
  source: string;
}

export interface OfficeSession {
  /** HH:MM local time */
  start: string;
  /** HH:MM local time, after start */
  end: string;
}

export interface WorkingCalendar {
  version: string;
  timeZoneOffsetMinutes: 480;
  /** office hours of one working day, in order; the gaps between them (lunch) are not working time */
  sessions: OfficeSession[];
  years: CalendarYear[];
}

/** Office hours of a Chinese government office: the gap is the lunch break. */
export const DEFAULT_SESSIONS: readonly OfficeSession[] = Object.freeze([
  Object.freeze({ start: '08:30', end: '12:00' }),
  Object.freeze({ start: '13:30', end: '17:30' }),
]);

/** A computation needed a day that the calendar's data does not cover: guessing would set a wrong deadline. */
export class CalendarRangeError extends Error {
  override readonly name = 'CalendarRangeError';

  constructor(
    readonly date: string,
    readonly coveredYears: readonly number[],
    calendarVersion: string,
  ) {
    super(
      `working calendar ${calendarVersion} has no data for ${date}: it covers the years ${coveredYears.join(', ') || '(none)'}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The calendar compiled once into lookup form; a WeakMap keeps it tied to the calendar object,
// so a calendar is data to replace (new object, new version), never to mutate after first use.

interface SessionSpan {
  /** ms after local midnight */
  startMs: number;
  endMs: number;
}

interface CompiledCalendar {
  version: string;
  offsetMs: number;
  sessions: SessionSpan[];
  workingDayMs: number;
  coveredYears: number[];
  holidays: Set<string>;
  adjustedWorkdays: Set<string>;
}

const compiledCalendars = new WeakMap<WorkingCalendar, CompiledCalendar>();

function compiled(cal: WorkingCalendar): CompiledCalendar {
  let c = compiledCalendars.get(cal);
  if (!c) {
    c = compile(cal);
    compiledCalendars.set(cal, c);
  }
  return c;
}

function compile(cal: WorkingCalendar): CompiledCalendar {
  const sessions = cal.sessions.map(parseSession);
  sessions.forEach((s, i) => {
    const previous = sessions[i - 1];
    if (previous && s.startMs < previous.endMs) {
      throw new Error(`working calendar ${cal.version}: sessions must be in order and must not overlap`);
    }
  });
  const holidays = new Set<string>();
  const adjustedWorkdays = new Set<string>();
  for (const y of cal.years) {
    for (const d of y.holidays) holidays.add(checkedDateOfYear(cal, y.year, d));
    for (const d of y.adjustedWorkdays) adjustedWorkdays.add(checkedDateOfYear(cal, y.year, d));
  }
  for (const d of adjustedWorkdays) {
    if (holidays.has(d))
      throw new Error(`working calendar ${cal.version}: ${d} is both a holiday and an adjusted working day`);
  }
  return {
    version: cal.version,
    offsetMs: cal.timeZoneOffsetMinutes * MINUTE_MS,
    sessions,
    workingDayMs: sessions.reduce((sum, s) => sum + (s.endMs - s.startMs), 0),
    coveredYears: [...new Set(cal.years.map((y) => y.year))].sort((a, b) => a - b),
    holidays,
    adjustedWorkdays,
  };
}

function parseSession(s: OfficeSession): SessionSpan {
  const span = { startMs: parseClock(s.start), endMs: parseClock(s.end) };
  if (span.endMs <= span.startMs) throw new Error(`office session ${s.start}–${s.end} must end after it starts`);
  return span;
}

function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const ms = m ? (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS : NaN;
  if (!m || Number(m[2]) > 59 || !(ms <= DAY_MS))
    throw new Error(`office hours must be HH:MM within a day, got '${hhmm}'`);
  return ms;
}

function checkedDateOfYear(cal: WorkingCalendar, year: number, date: string): string {
  const day = dayNumberOf(date);
  if (dateOfDayNumber(day) !== date || yearOf(date) !== year) {
    throw new Error(`working calendar ${cal.version}: '${date}' is not a date of ${year}`);
  }
  return date;
}

// ---------------------------------------------------------------------------------------------
// Local days are numbered from 1970-01-01 (Shanghai); a local instant is ms since that midnight.

function dayNumberOf(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return NaN;
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function localMsOf(c: CompiledCalendar, instant: Date): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('working calendar: invalid instant');
  return ms + c.offsetMs;
}

function instantOf(c: CompiledCalendar, localMs: number): Date {
  return new Date(localMs - c.offsetMs);
}

/** Adjusted working days win over the weekend; listed holidays win over Mon–Fri. */
function isWorkingDayNumber(c: CompiledCalendar, day: number): boolean {
  const date = dateOfDayNumber(day);
  if (!c.coveredYears.includes(yearOf(date))) throw new CalendarRangeError(date, c.coveredYears, c.version);
  if (c.adjustedWorkdays.has(date)) return true;
  if (c.holidays.has(date)) return false;
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

// ---------------------------------------------------------------------------------------------
// Public API

export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  const day = dayNumberOf(date);
  if (!Number.isInteger(day) || dateOfDayNumber(day) !== date) throw new RangeError(`not a YYYY-MM-DD date: '${date}'`);
  return isWorkingDayNumber(compiled(cal), day);
}

/**
 * The instant at which `durationMs` of working time has elapsed, counting from `from` (or from the
 * next session start if `from` is outside office hours). A duration that ends exactly at a session
 * end returns that session end, so a deadline never jumps over a lunch break or a night.
 */
export function addWorkingTime(cal: WorkingCalendar, from: Date, durationMs: number): Date {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs))
    throw new RangeError(`working duration must be a finite ms count >= 0, got ${durationMs}`);
  const c = compiled(cal);
  const local = localMsOf(c, from);
  let day = Math.floor(local / DAY_MS);
  let clock = local - day * DAY_MS;
  let remaining = durationMs;
  // Ends with a result or with CalendarRangeError once the days run past the covered years.
  for (;;) {
    if (isWorkingDayNumber(c, day)) {
      for (const s of c.sessions) {
        if (clock >= s.endMs) continue;
        const start = Math.max(clock, s.startMs);
        const available = s.endMs - start;
        if (remaining <= available) return instantOf(c, day * DAY_MS + start + remaining);
        remaining -= available;
        clock = s.endMs;
      }
    }
    day += 1;
    clock = 0;
  }
}

/** Working milliseconds in [from, to); 0 when `to` is not after `from`. */
export function workingTimeBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const c = compiled(cal);
  const fromLocal = localMsOf(c, from);
  const toLocal = localMsOf(c, to);
  if (toLocal <= fromLocal) return 0;
  const firstDay = Math.floor(fromLocal / DAY_MS);
  // The day holding the last counted ms: a `to` at midnight needs nothing from the day it opens.
  const lastDay = Math.floor((toLocal - 1) / DAY_MS);
  let total = 0;
  for (let day = firstDay; day <= lastDay; day += 1) {
    if (isWorkingDayNumber(c, day)) total += workingTimeOfDay(c, day, fromLocal, toLocal);
  }
  return total;
}

function workingTimeOfDay(c: CompiledCalendar, day: number, fromLocal: number, toLocal: number): number {
  const midnight = day * DAY_MS;
  return c.sessions.reduce((sum, s) => {
    const start = Math.max(fromLocal, midnight + s.startMs);
    const end = Math.min(toLocal, midnight + s.endMs);
    return end > start ? sum + (end - start) : sum;
  }, 0);
}

/** A count of working days as working time: days × the length of one working day (7.5 h by default). */
export function workingDaysToMs(cal: WorkingCalendar, days: number): number {
  if (!Number.isFinite(days)) throw new RangeError(`working days must be finite, got ${days}`);
  return days * compiled(cal).workingDayMs;
}

/** The calendar's local date (YYYY-MM-DD, Shanghai) of an instant: the day a statistic counts it in. */
export function localDateOf(cal: WorkingCalendar, instant: Date): string {
  return dateOfDayNumber(Math.floor(localMsOf(compiled(cal), instant) / DAY_MS));
}

/**
 * A month (YYYY-MM) of the calendar's time zone as instants: from its first local midnight up to,
 * not including, the next month's. A monthly ranking is closed once `end` has passed.
 */
export function monthSpan(cal: WorkingCalendar, month: string): { start: Date; end: Date } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a YYYY-MM month: '${month}'`);
  const c = compiled(cal);
  const [year, m] = month.split('-').map(Number) as [number, number];
  const first = Date.UTC(year, m - 1, 1);
  const next = Date.UTC(m === 12 ? year + 1 : year, m === 12 ? 0 : m, 1);
  return { start: instantOf(c, first), end: instantOf(c, next) };
}
