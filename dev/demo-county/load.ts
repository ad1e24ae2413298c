/**
 * Loads the demo county (溪岚县, fictional) into a database: 14 townships with modules and grids,
 * 17 departments, the responsibility list, accounts of every role and Open311 API keys. Only what is missing is
 * inserted, so it runs safely on every `npm start`; the list is loaded only into an empty list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { Account, County, Department, refuseAccountPlacement, Township } from '../../domain/organisation/schemas';
import { MatterFields } from '../../domain/responsibility-list/schemas';
import { ApiKeySeed, ApiKeys } from '../../store/api-keys';
import { organisation } from '../../store/organisation';
import { ResponsibilityList } from '../../store/responsibility-list';

function read<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(join(__dirname, file), 'utf8')));
  if (!parsed.success)
    throw new Error(
      `dev/demo-county/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function demoCounty() {
  const townships = read('townships.json', z.array(Township));
  const accounts = read('accounts.json', z.array(Account)) as Account[];
  // a module lead's module and a grid member's grid must be in its township, as the API checks
  for (const account of accounts) {
    const refusal = refuseAccountPlacement(
      account,
      townships.find((t) => t.id === account.orgUnitId),
    );
    if (refusal) throw new Error(`dev/demo-county/accounts.json: ${account.id}.${refusal.field}: ${refusal.reason}`);
  }
  return {
    county: read('county.json', County),
    townships,
    departments: read('departments.json', z.array(Department)),
    accounts,
    matters: read('matters.json', z.array(MatterFields)),
    apiKeys: read('api-keys.json', z.array(ApiKeySeed)),
  };
}

/** The demo county's enabled account of a role (and org unit), e.g. for a token; throws naming the known ones. */
export function demoAccount(role: string, org: string | undefined): string {
  const accounts = demoCounty().accounts.filter((a) => a.role === role && a.enabled);
  const match = accounts.find((a) => a.orgUnitId === org);
  if (match) return match.id;
  const known = [...new Set(accounts.map((a) => a.orgUnitId).filter(Boolean))].join(', ');
  throw new Error(
    `the demo county has no enabled ${role} account${org ? ` for ${org}` : ''}${known ? `; known: ${known}` : ''} (or pass --sub <account id>)`,
  );
}

export interface LoadReport {
  townships: number;
  departments: number;
  accounts: number;
  apiKeys: number;
  matters: number;
}

export async function loadDemoCounty(store: Connection): Promise<LoadReport> {
  const data = demoCounty();
  const org = organisation(store);
  const list = new ResponsibilityList(store);
  const report: LoadReport = {
    townships: await org.townships.insertMissing(data.townships),
    departments: await org.departments.insertMissing(data.departments),
    accounts: await org.accounts.insertMissing(data.accounts),
    // keys name accounts, so they load after them
    apiKeys: await new ApiKeys(store).insertMissing(data.apiKeys),
    matters: 0,
  };
  if ((await list.listVersion()) === 0) {
    const admin = { accountId: 'system:demo-loader', role: 'admin' as const };
    const result = await list.apply(
      data.matters.map((fields) => ({ fields })),
      admin,
      'demo county: initial responsibility list / 演示县初始责任清单',
      new Date(),
    );
    report.matters = result.created.length;
  }
  return report;
}
