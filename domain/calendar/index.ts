export {
  addWorkingTime,
  CalendarRangeError,
  DEFAULT_SESSIONS,
  isWorkingDay,
  localDateOf,
  monthSpan,
  workingDaysToMs,
  workingTimeBetween,
} from './calendar';
export type { CalendarYear, OfficeSession, WorkingCalendar } from './calendar';
export { CN_2026, CN_2027_PROVISIONAL, CN_CALENDAR } from './cn-holidays';
