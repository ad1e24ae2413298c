/**
 * The working calendar a case runs on. A case keeps the version it was raised with: the built-in
 * version (cases raised before calendars were loaded as data, and while none is) by its id, a
 * loaded version as its own compact data in the case's routing, so the workflow reads it from its
 * input and replays it the same, whatever is loaded later.
 */
import { CN_CALENDAR, DEFAULT_SESSIONS, yearOfCompact, type WorkingCalendar } from './calendar';
import type { CaseRouting } from './case/shape';

const BUILT_IN: Record<string, WorkingCalendar> = { [CN_CALENDAR.version]: CN_CALENDAR };

/** The built-in version's id: version 1, what cases without calendar data run on. */
export const CURRENT_CALENDAR_VERSION = CN_CALENDAR.version;

export function calendarByVersion(version: string): WorkingCalendar {
  const calendar = BUILT_IN[version];
  if (!calendar) throw new Error(`unknown working calendar version ${version}`);
  return calendar;
}

/** What a routing says of its calendar: the version's id, and its data unless it is built in. */
export type CalendarChoice = Pick<CaseRouting, 'calendarVersion' | 'calendar'>;

// keyed by the kept data: spreading a case keeps the object, so it is expanded once per run
const expanded = new WeakMap<object, WorkingCalendar>();

/** The calendar of a case (or of a routing about to open one). */
export function calendarOf(choice: CalendarChoice): WorkingCalendar {
  const data = choice.calendar;
  if (!data) return calendarByVersion(choice.calendarVersion);
  let calendar = expanded.get(data);
  if (!calendar) {
    calendar = {
      version: choice.calendarVersion,
      timeZoneOffsetMinutes: 480,
      sessions: DEFAULT_SESSIONS.map((s) => ({ ...s })),
      years: data.years.map(yearOfCompact),
    };
    expanded.set(data, calendar);
  }
  return calendar;
}
