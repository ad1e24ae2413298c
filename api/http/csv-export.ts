/**
 * CSV exports for spreadsheets: UTF-8 with a byte-order mark, so Excel reads Chinese correctly, and
 * every cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first)
 * neutralised with a leading apostrophe (OWASP's CSV injection advice).
 */
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';

const FORMULA = /^[=+\-@\t\r]/;

/** A cell as text, never a formula. */
export function safeCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

export function sendCsv(res: Response, filename: string, columns: readonly string[], rows: unknown[][]): void {
  const csv = stringify(
    rows.map((row) => row.map(safeCell)),
    { header: true, columns: [...columns], bom: true },
  );
  res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
}
