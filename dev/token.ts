/**
 * `npm run token -- --role department --org dept-enforcement` prints a bearer token (and only the
 * token) on stdout, signed with the local stack's secret, so scripts can use it. The token is for
 * the demo county's account of that role and org unit (or `--sub <account id>`); the API accepts
 * tokens of known, enabled accounts only.
 */
import { parseArgs } from 'node:util';
import { isRole, ORG_BOUND_ROLES, ROLES } from '../domain/identity';
import { signToken } from '../platform/tokens';
import { demoAccount } from './demo-county/load';
import { localJwtSecret } from './jwt-secret';

const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> [--org <township or department id>] [--sub <account>] [--expires 12h]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
    strict: true,
  });
  const { role, org, expires } = values;
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (ORG_BOUND_ROLES.includes(role) && !org) throw new Error(`a ${role} token needs --org (the id of its ${role})`);
  const accountId = values.sub ?? demoAccount(role, org);
  process.stdout.write(
    `${await signToken(localJwtSecret(), { accountId, role, ...(org ? { orgUnitId: org } : {}) }, expires)}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
});
