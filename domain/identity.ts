/** Who acts: the roles of DOMAIN.md and the identity every action carries into the audit trail. */
import { s, type Infer } from './case/declare';

export const ROLES = ['township', 'department', 'dispatcher', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles bound to one org unit (a township or a department); the others act county-wide. */
export const ORG_BOUND_ROLES: readonly Role[] = ['township', 'department'];

export const ActorShape = s.object({
  /** account id (JWT `sub`) */
  accountId: s.string(),
  role: s.enum(ROLES),
  /** township id for `township`, department id for `department`; absent for county-wide roles */
  orgUnitId: s.optional(s.string()),
});
export type Actor = Infer<typeof ActorShape>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
