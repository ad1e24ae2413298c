/**
 * Working calendars by version. A case keeps the version it was routed with, so a new calendar
 * (next year's holidays) is added beside the old one and never changes a running case's deadlines.
 */
import { CN_CALENDAR, type WorkingCalendar } from './calendar';

const CALENDARS: Record<string, WorkingCalendar> = { [CN_CALENDAR.version]: CN_CALENDAR };

export const CURRENT_CALENDAR_VERSION = CN_CALENDAR.version;

export function calendarByVersion(version: string): WorkingCalendar {
  const calendar = CALENDARS[version];
  if (!calendar) throw new Error(`unknown working calendar version ${version}`);
  return calendar;
}
