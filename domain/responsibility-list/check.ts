/** Consistency of a list against the organisation: every department a matter names must exist. */
import type { MatterFields } from './schemas';

export interface ListProblem {
  /** 1-based row (import line or array position) */
  line: number;
  code?: string;
  reason: string;
}

export function checkMatters(
  rows: { line: number; matter: MatterFields }[],
  departmentIds: ReadonlySet<string>,
): ListProblem[] {
  const problems: ListProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, matter } of rows) {
    const first = seen.get(matter.code);
    if (first !== undefined)
      problems.push({ line, code: matter.code, reason: `duplicate code ${matter.code} (first on line ${first})` });
    else seen.set(matter.code, line);
    for (const id of [matter.leadDepartmentId, ...matter.cooperatingDepartmentIds]) {
      if (!departmentIds.has(id)) problems.push({ line, code: matter.code, reason: `unknown department ${id}` });
    }
  }
  return problems;
}

/** Whether a stored matter differs from a proposed one (an unchanged import row makes no version). */
export function sameMatter(a: MatterFields, b: MatterFields): boolean {
  return canonical(a) === canonical(b);
}

function canonical(m: MatterFields): string {
  const {
    code,
    name,
    category,
    leadDepartmentId,
    cooperatingDepartmentIds,
    townshipRole,
    townshipTasks,
    legalBasis,
    slaProfile,
    reinspectionDays,
  } = m;
  return JSON.stringify([
    code,
    name.zh,
    name.en,
    category,
    leadDepartmentId,
    [...cooperatingDepartmentIds].sort(),
    townshipRole.zh,
    townshipRole.en,
    [...(townshipTasks ?? [])].sort(),
    legalBasis,
    slaProfile,
    reinspectionDays ?? null,
  ]);
}
