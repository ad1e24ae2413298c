/**
 * One rule for who may see a case and who takes part in it, used by the case read, its history, the
 * list scoping and the projection's index fields. A department released by an upheld decline reads
 * what it was part of, and nothing else: it no longer acts on the case.
 */
import type { Actor } from './identity';
import type { WhistleCase } from './case/shape';

type Scoped = Pick<WhistleCase, 'location' | 'duties' | 'raisedBy'> & Partial<Pick<WhistleCase, 'releasedDuties'>>;

/** The departments that take part now: those called, and a reverse whistle's raiser. */
function departmentsTakingPart(c: Scoped): string[] {
  const raiser = c.raisedBy.role === 'department' && c.raisedBy.orgUnitId ? [c.raisedBy.orgUnitId] : [];
  return [...new Set([...c.duties.map((d) => d.departmentId), ...raiser])];
}

/** The departments that may read the case: those taking part, and those released from it. */
export function departmentsInScope(c: Scoped): string[] {
  return [...new Set([...departmentsTakingPart(c), ...(c.releasedDuties ?? []).map((d) => d.departmentId)])];
}

function within(departments: (c: Scoped) => string[], c: Scoped, actor: Actor): boolean {
  switch (actor.role) {
    case 'township':
      return c.location.townshipId === actor.orgUnitId;
    case 'department':
      return actor.orgUnitId !== undefined && departments(c).includes(actor.orgUnitId);
    case 'grid':
      // a grid member follows its reports (grid-report.ts), not the cases the township made of them
      return false;
    default:
      return true;
  }
}

/** Reads the case and its history: its township, the departments in scope, the county-wide roles. */
export function canSeeCase(c: Scoped, actor: Actor): boolean {
  return within(departmentsInScope, c, actor);
}

/** Takes part in the case now (adds progress, say): as above, less the departments released from it. */
export function takesPart(c: Scoped, actor: Actor): boolean {
  return within(departmentsTakingPart, c, actor);
}

/** What the caller's lists are narrowed to: a township its own cases, a department those in its scope. */
export interface ListScope {
  townshipId?: string;
  departmentId?: string;
}

export function listScope(actor: Actor): ListScope {
  if (actor.role === 'township') return { townshipId: actor.orgUnitId };
  if (actor.role === 'department') return { departmentId: actor.orgUnitId };
  return {};
}
