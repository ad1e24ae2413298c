/**
 * The organisation (DOMAIN.md, Organisation): county → townships/streets with their "1+3+N"
 * modules and grids; county departments with their stations in townships; accounts. These zod
 * schemas are the one source of the shapes: the API, the store and the demo data all parse with them.
 */
import { z } from 'zod';
import { BilingualName, Id } from '../names';

/** The "1+3+N" main modules every township has; sub-modules (N) name one of them as parent. */
export const MAIN_MODULES = ['party', 'management', 'safety', 'service'] as const;

export const Module = z.strictObject({
  key: Id,
  name: BilingualName,
  parentKey: Id.optional(),
});

export const Grid = z.strictObject({
  id: Id,
  name: BilingualName,
  village: BilingualName.optional(),
});

function withoutCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return !parsed.username && !parsed.password;
  } catch {
    return true; // not a URL at all: z.url() says so
  }
}

/**
 * Where an org unit's notifications go (see README, Notifications). The signing secret is never
 * stored: `secretRef` names the environment variable of the worker that holds it, so the read API
 * can return the whole object without giving a secret away. The URL is visible to every signed-in
 * role, so it must not carry credentials.
 */
export const Webhook = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL' })
      .max(2000)
      .refine(withoutCredentials, 'no credentials in the URL: the secret goes in secretRef'),
    secretRef: z
      .string()
      .regex(
        /^WEBHOOK_SECRET_[A-Z0-9_]{1,64}$/,
        'the name of an environment variable WEBHOOK_SECRET_…, e.g. WEBHOOK_SECRET_DEPT_ENFORCEMENT',
      ),
  })
  .meta({
    id: 'Webhook',
    description:
      'POST target for notifications, signed with HMAC-SHA256 by the secret in the named environment variable',
  });
export type Webhook = z.infer<typeof Webhook>;

export const Township = z
  .strictObject({
    id: Id,
    code: z.string().trim().min(1).max(32),
    kind: z.enum(['township', 'street']),
    name: BilingualName,
    modules: z.array(Module).min(4),
    grids: z.array(Grid),
    webhook: Webhook.optional(),
    retired: z.boolean().default(false),
  })
  .superRefine((t, ctx) => {
    const keys = new Set(t.modules.map((m) => m.key));
    for (const main of MAIN_MODULES) {
      if (!keys.has(main))
        ctx.addIssue({ code: 'custom', path: ['modules'], message: `the main module "${main}" is missing (1+3+N)` });
    }
    t.modules.forEach((m, i) => {
      if (m.parentKey && !keys.has(m.parentKey)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'parentKey'],
          message: `no module "${m.parentKey}" in this township`,
        });
      }
    });
  });
export type Township = z.infer<typeof Township>;

export const Station = z.strictObject({ id: Id, townshipId: Id, name: BilingualName });

export const Department = z.strictObject({
  id: Id,
  code: z.string().trim().min(1).max(32),
  name: BilingualName,
  stations: z.array(Station).default([]),
  webhook: Webhook.optional(),
  retired: z.boolean().default(false),
});
export type Department = z.infer<typeof Department>;

const accountBase = {
  id: Id,
  name: BilingualName,
  enabled: z.boolean().default(true),
  retired: z.boolean().default(false),
};

/**
 * Township accounts act for one township, and for one of its modules when they name one
 * (`moduleKey`: 模块分管领导). An account without a module acts for the township as a whole — its
 * leadership, and every account made before modules existed, which keep working as they did.
 * Department accounts act for one department; grid members (网格员) for one grid of a township;
 * dispatchers, supervisors and admins county-wide. Whether the module or the grid exists in that
 * township is checked against the township (refuseAccountPlacement) where an account is saved.
 */
const TownshipAccount = z.strictObject({
  ...accountBase,
  role: z.literal('township'),
  orgUnitId: Id,
  moduleKey: Id.optional(),
});
const DepartmentAccount = z.strictObject({ ...accountBase, role: z.literal('department'), orgUnitId: Id });
const GridAccount = z.strictObject({ ...accountBase, role: z.literal('grid'), orgUnitId: Id, gridId: Id });
const CountyAccount = z.strictObject({ ...accountBase, role: z.enum(['dispatcher', 'supervisor', 'admin']) });

export const Account = z
  .discriminatedUnion('role', [TownshipAccount, DepartmentAccount, GridAccount, CountyAccount])
  .meta({ id: 'Account' });
type Common = { moduleKey?: undefined; gridId?: undefined; orgUnitId?: undefined };
export type Account =
  | (z.infer<typeof TownshipAccount> & Omit<Common, 'moduleKey' | 'orgUnitId'>)
  | (z.infer<typeof DepartmentAccount> & Omit<Common, 'orgUnitId'>)
  | (z.infer<typeof GridAccount> & Omit<Common, 'gridId' | 'orgUnitId'>)
  | (z.infer<typeof CountyAccount> & Common);

/**
 * Where an account sits must exist: a township account's township (and module), a grid member's
 * township and grid. Names the field and says what the township has, in Chinese and English.
 */
export function refuseAccountPlacement(
  account: Account,
  township: Township | undefined,
): { field: string; reason: string } | undefined {
  if (account.role !== 'township' && account.role !== 'grid') return undefined;
  if (!township || township.retired)
    return { field: 'orgUnitId', reason: `no township ${account.orgUnitId} / 乡镇不存在` };
  if (account.role === 'township' && account.moduleKey && !township.modules.some((m) => m.key === account.moduleKey))
    return {
      field: 'moduleKey',
      reason: `${township.name.zh} has no module "${account.moduleKey}"; it has ${township.modules.map((m) => m.key).join(', ')} / 乡镇无此模块`,
    };
  if (account.role === 'grid' && !township.grids.some((g) => g.id === account.gridId))
    return { field: 'gridId', reason: `grid ${account.gridId} is not in ${township.name.zh} / 网格不属于该乡镇` };
  return undefined;
}

export const County = z.strictObject({ id: Id, code: z.string().min(1), name: BilingualName });
export type County = z.infer<typeof County>;

/** An account acts only while enabled and not retired: the one rule bearer tokens and API keys share. */
export function accountMayAct(account: Account | undefined): account is Account {
  return account !== undefined && account.enabled && !account.retired;
}
