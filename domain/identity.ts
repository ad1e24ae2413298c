/** Who acts: the roles of DOMAIN.md and the identity every action carries into the audit trail. */
import { s, type Infer } from './case/declare';

export const ROLES = ['township', 'department', 'dispatcher', 'supervisor', 'admin', 'grid'] as const;
export type Role = (typeof ROLES)[number];

/** Roles bound to one org unit (a township or a department; a grid member's township); the others act county-wide. */
export const ORG_BOUND_ROLES: readonly Role[] = ['township', 'department', 'grid'];

/**
 * The roles that work on cases. A grid member (网格员) discovers problems and files grid reports
 * into its township; the township decides whether to whistle, so a grid member neither reads nor
 * acts on cases.
 */
export const CASE_ROLES = [
  'township',
  'department',
  'dispatcher',
  'supervisor',
  'admin',
] as const satisfies readonly Role[];

export const ActorShape = s.object({
  /** account id (JWT `sub`) */
  accountId: s.string(),
  role: s.enum(ROLES),
  /** township id for `township` and `grid`, department id for `department`; absent for county-wide roles */
  orgUnitId: s.optional(s.string()),
  /**
   * the township module the account belongs to (its `moduleKey`), taken from the account, never the
   * token; absent for an account of the township as a whole (and every account made before modules)
   */
  module: s.optional(s.string()),
  /** a grid member's grid, taken from the account */
  gridId: s.optional(s.string()),
});
export type Actor = Infer<typeof ActorShape>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
