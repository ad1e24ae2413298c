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

/** Township and department accounts act for one org unit; dispatchers, supervisors, admins county-wide. */
const OrgAccount = z.strictObject({ ...accountBase, role: z.enum(['township', 'department']), orgUnitId: Id });
const CountyAccount = z.strictObject({ ...accountBase, role: z.enum(['dispatcher', 'supervisor', 'admin']) });

export const Account = z.union([OrgAccount, CountyAccount]).meta({ id: 'Account' });
export type Account = z.infer<typeof OrgAccount> | (z.infer<typeof CountyAccount> & { orgUnitId?: undefined });

export const County = z.strictObject({ id: Id, code: z.string().min(1), name: BilingualName });
export type County = z.infer<typeof County>;

/** An account acts only while enabled and not retired: the one rule bearer tokens and API keys share. */
export function accountMayAct(account: Account | undefined): account is Account {
  return account !== undefined && account.enabled && !account.retired;
}
