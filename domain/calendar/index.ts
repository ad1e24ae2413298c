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
export {
  BUILT_IN_NOTICES,
  CN_2026,
  CN_2026_NOTICE,
  CN_2027_PROVISIONAL,
  CN_2027_PROVISIONAL_NOTICE,
  CN_CALENDAR,
} from './cn-holidays';
export { checkNotice, compactOfNotice, datesOf, yearOfCompact, yearOfNotice } from './notice';
export type { CompactYear, HolidayNotice, NoticeHoliday, NoticeProblem } from './notice';
