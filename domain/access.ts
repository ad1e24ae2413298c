/** Who may see a case: its township, the departments it calls (or that raised it), and the county-wide roles. */
import type { Actor } from './identity';
import type { WhistleCase } from './case/shape';

export function canSeeCase(c: Pick<WhistleCase, 'location' | 'duties' | 'raisedBy'>, actor: Actor): boolean {
  switch (actor.role) {
    case 'township':
      return c.location.townshipId === actor.orgUnitId;
    case 'department':
      return (
        c.duties.some((d) => d.departmentId === actor.orgUnitId) ||
        (c.raisedBy.role === 'department' && c.raisedBy.orgUnitId === actor.orgUnitId)
      );
    default:
      return true;
  }
}
