/** Who may see a case: its township, the departments it calls, and the county-wide roles. */
import type { Actor } from './identity';
import type { WhistleCase } from './whistle';

export function canSeeCase(c: Pick<WhistleCase, 'location' | 'duties'>, actor: Actor): boolean {
  switch (actor.role) {
    case 'township':
      return c.location.townshipId === actor.orgUnitId;
    case 'department':
      return c.duties.some((d) => d.departmentId === actor.orgUnitId);
    default:
      return true;
  }
}
