/** The list as counties keep it: one CSV row per matter; co-operating departments joined by ';'. */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Matter } from '../../domain/responsibility-list/schemas';

export const CSV_COLUMNS = [
  'code',
  'name_zh',
  'name_en',
  'category',
  'leadDepartmentId',
  'cooperatingDepartmentIds',
  'townshipRole_zh',
  'townshipRole_en',
  'townshipTasks',
  'legalBasis',
  'slaProfile',
  'reinspectionDays',
] as const;

/** Columns a file may leave out: lists exported before the township's tasks were keyed have none. */
const OPTIONAL_COLUMNS: readonly string[] = ['reinspectionDays', 'townshipTasks'];

export function mattersToCsv(matters: Matter[]): string {
  return stringify(
    matters.map((m) => [
      m.code,
      m.name.zh,
      m.name.en,
      m.category,
      m.leadDepartmentId,
      m.cooperatingDepartmentIds.join(';'),
      m.townshipRole.zh,
      m.townshipRole.en,
      (m.townshipTasks ?? []).join(';'),
      m.legalBasis,
      m.slaProfile,
      m.reinspectionDays ?? '',
    ]),
    { header: true, columns: [...CSV_COLUMNS], bom: true },
  );
}

/** CSV rows as candidate matter objects (validated by the caller), each with its file line. */
export function csvToRows(text: string): { line: number; value: unknown }[] {
  const records = parse(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as unknown as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  return records.map(({ record: r, info }) => ({
    line: info.lines,
    value: {
      code: r.code,
      name: { zh: r.name_zh, en: r.name_en },
      category: r.category,
      leadDepartmentId: r.leadDepartmentId,
      cooperatingDepartmentIds: (r.cooperatingDepartmentIds ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      townshipRole: { zh: r.townshipRole_zh, en: r.townshipRole_en },
      townshipTasks: (r.townshipTasks ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      legalBasis: r.legalBasis,
      slaProfile: r.slaProfile,
      ...(r.reinspectionDays ? { reinspectionDays: Number(r.reinspectionDays) } : {}),
    },
  }));
}

/** The header must name exactly the known columns, so a misspelt column is not silently empty. */
export function csvHeaderProblem(text: string): string | undefined {
  const [header]: (string[] | undefined)[] = parse(text, { to_line: 1, bom: true, trim: true });
  const missing = CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) && !header?.includes(c));
  const unknown = (header ?? []).filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    return [
      missing.length ? `missing columns: ${missing.join(', ')}` : '',
      unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return undefined;
}
