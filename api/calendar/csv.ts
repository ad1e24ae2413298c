/**
 * A year's notice as a spreadsheet: one row per holiday, the columns `holiday,from,to,adjustedWorkdays`
 * (the weekend days worked joined by ';', empty when none), as a clerk copies the notice line by line.
 */
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS } from './schemas';

export interface CsvHoliday {
  line: number;
  value: { name: string; from: string; to: string; adjustedWorkdays: string[] };
}

/** The rows of a notice CSV, or the reason its header is not the expected one. */
export function noticeRowsOfCsv(text: string): CsvHoliday[] | string {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true }) as never;
  } catch (err) {
    return `not readable as CSV: ${(err as Error).message} / CSV格式错误`;
  }
  const [header, ...rows] = records;
  const missing = CSV_COLUMNS.filter((c) => !header?.record.includes(c));
  if (missing.length || rows.length === 0)
    return `the header must be ${CSV_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ', then one row per holiday'} / 表头应为 ${CSV_COLUMNS.join(',')}，每行一个假期`;
  const column = (r: string[], name: (typeof CSV_COLUMNS)[number]) => r[header!.record.indexOf(name)] ?? '';
  return rows.map(({ record: r, info }) => ({
    line: info.lines,
    value: {
      name: column(r, 'holiday'),
      from: column(r, 'from'),
      to: column(r, 'to'),
      adjustedWorkdays: column(r, 'adjustedWorkdays')
        .split(/[;；]/)
        .map((d) => d.trim())
        .filter(Boolean),
    },
  }));
}
