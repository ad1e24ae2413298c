/**
 * The working calendar over HTTP: a year's notice as the State Council publishes it (JSON, or CSV
 * with one row per holiday), the version in force with how long its data lasts, and the history.
 * Dates are taken as text here and checked by the domain (domain/calendar/notice.ts), so a bad date
 * is a 422 that names it rather than a shape error.
 */
import { z } from 'zod';

const Year = z.coerce.number().int().min(2000).max(2100);

export const YearParam = z.object({ year: Year });
export const VersionParam = z.object({ version: z.coerce.number().int().min(1) });

const Day = z.string().max(20).meta({ description: 'YYYY-MM-DD (Asia/Shanghai)', example: '2027-02-05' });

export const NoticeHolidayBody = z.strictObject({
  name: z.string().trim().min(1).max(40).meta({ example: '春节' }),
  from: Day.meta({ description: 'first day off' }),
  to: Day.meta({ description: 'last day off (the same as `from` for one day)' }),
  adjustedWorkdays: z
    .array(Day)
    .max(10)
    .optional()
    .meta({ description: 'Saturdays or Sundays worked for this holiday (调休上班)' }),
});

export const NoticeBody = z
  .strictObject({
    year: Year.optional().meta({ description: 'must be the year in the path when given' }),
    source: z.string().trim().min(1).max(500).meta({ description: "the notice's title, number and date" }),
    holidays: z.array(NoticeHolidayBody).min(1).max(30),
  })
  .meta({ id: 'HolidayNotice', description: "a year's holidays as the State Council's notice publishes them" });

export const CsvQuery = z.object({
  source: z.string().trim().min(1).max(500).optional().meta({ description: "the notice's title (required with CSV)" }),
});

export const CSV_COLUMNS = ['holiday', 'from', 'to', 'adjustedWorkdays'] as const;

const YearView = z.object({
  year: z.number().int(),
  source: z.string(),
  provisional: z.boolean(),
  holidays: z.array(
    z.object({ name: z.string(), from: z.string(), to: z.string(), adjustedWorkdays: z.array(z.string()) }),
  ),
});

export const Coverage = z
  .object({
    today: z.string(),
    until: z.object({ includingProvisional: z.string().optional(), official: z.string().optional() }),
    daysLeft: z.object({ includingProvisional: z.number().int(), official: z.number().int() }),
    provisionalYears: z.array(z.number().int()),
    nextYear: z.number().int(),
    warning: z.string().optional().meta({ description: 'from 60 days before the official data runs out' }),
  })
  .meta({ id: 'CalendarCoverage' });

export const VersionView = z
  .object({
    version: z.number().int(),
    id: z.string().meta({ description: 'what a case records as routing.calendarVersion' }),
    createdAt: z.string().optional(),
    createdBy: z.string(),
    loadedYear: z.number().int().optional(),
    years: z.array(YearView),
  })
  .meta({ id: 'CalendarVersion' });

export const CalendarView = VersionView.extend({ coverage: Coverage }).meta({ id: 'WorkingCalendar' });

export const HistoryView = z.object({
  items: z.array(
    VersionView.omit({ years: true }).extend({
      years: z.array(z.object({ year: z.number().int(), provisional: z.boolean() })),
    }),
  ),
});
