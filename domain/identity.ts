/** Who acts: the roles of DOMAIN.md and the identity every action carries into the audit trail. */

export const ROLES = ['township', 'department', 'dispatcher', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles bound to one org unit (a township or a department); the others act county-wide. */
export const ORG_BOUND_ROLES: readonly Role[] = ['township', 'department'];

export interface Actor {
  /** account id (JWT `sub`) */
  accountId: string;
  role: Role;
  /** township id for `township`, department id for `department`; absent for county-wide roles */
  orgUnitId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
