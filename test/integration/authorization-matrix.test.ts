/**
 * Every endpoint × every role × own/foreign scope, and every way a token can be wrong. The rules
 * live in one place (requireRole + domain/access + the workflow's validators); this walks them all.
 */
import { SignJWT } from 'jose';
import type { Actor } from '../../domain/identity';
import {
  admin,
  disabledTownship,
  dispatcher,
  ecology,
  enforcement,
  illegalConstruction,
  otherTownship,
  planning,
  supervisor,
  township,
} from '../support/fixtures';
import { eventually } from '../support/eventually';
import { useHarness } from '../support/harness';
import { call } from '../support/http';
import { TEST_JWT_SECRET } from '../support/stack';

const harness = useHarness('dev-server');

type Who =
  'township' | 'foreignTownship' | 'calledDepartment' | 'otherDepartment' | 'dispatcher' | 'supervisor' | 'admin';
const ACTORS: Record<Who, Actor> = {
  township,
  foreignTownship: otherTownship,
  calledDepartment: enforcement,
  otherDepartment: ecology,
  dispatcher,
  supervisor,
  admin,
};
const EVERYONE = Object.keys(ACTORS) as Who[];

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;
const township1 = (id: string) => ({
  id,
  code: id,
  kind: 'township',
  name: { zh: '测试镇', en: 'Test Town' },
  modules: ['party', 'management', 'safety', 'service'].map((key) => ({ key, name: { zh: key, en: key } })),
  grids: [],
});
const department1 = (id: string) => ({ id, code: id, name: { zh: '测试局', en: 'Test Bureau' }, stations: [] });
const matter1 = (code: string) => ({
  code,
  name: { zh: '测试', en: 'Test' },
  category: 'urban_management',
  leadDepartmentId: 'dept-enforcement',
  cooperatingDepartmentIds: [],
  townshipRole: { zh: '报告', en: 'Report' },
  legalBasis: '《测试条例》',
  slaProfile: 'normal',
});

interface Row {
  name: string;
  method: string;
  /** a fresh path (and body) for each call, so one call's change never decides another's answer */
  request: () => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  /** who gets the success status; everyone else gets 403 */
  allowed: Partial<Record<Who, number>>;
}

async function raiseCase(): Promise<string> {
  const token = await harness.stack.token(township);
  const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token, body: illegalConstruction() });
  if (res.status !== 201) throw new Error(`raise failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.caseId;
}
async function raiseUnclear(): Promise<string> {
  const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
    token: await harness.stack.token(township),
    body: illegalConstruction({ matterCode: undefined }),
  });
  return res.body.caseId;
}
/** A setup step on the way to the state a row needs; it must succeed, or the row means nothing. */
async function step(actor: Actor, caseId: string, action: string, body?: unknown): Promise<any> {
  const res = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/${action}`, {
    token: await harness.stack.token(actor),
    body,
  });
  if (res.status !== 200)
    throw new Error(`setup ${action} as ${actor.accountId} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
/** A fresh case of WJ-006 that enforcement (lead) has declined; planning co-operates. */
async function declinedCase(): Promise<string> {
  const id = await raiseCase();
  await step(enforcement, id, 'decline', { reason: 'matrix: not ours' });
  return id;
}
/** A fresh case on which enforcement asked to suspend its clocks; `approved` once the supervisor said yes. */
async function suspendedCase(approved: boolean): Promise<string> {
  const id = await raiseCase();
  await step(enforcement, id, 'suspend', { reason: 'matrix: waiting for an external approval' });
  if (approved) await step(supervisor, id, 'suspension/approve', { departmentId: enforcement.orgUnitId });
  return id;
}
const PLAN = {
  steps: [
    {
      key: 'inspect',
      title: '现场检查 / inspection',
      kind: 'inspection',
      assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'enforcement' },
      limit: { amount: 1, unit: 'working_day' },
      dependsOn: [],
    },
    {
      key: 'notice',
      title: '整改通知 / notice',
      kind: 'rectification_notice',
      assignee: { kind: 'department', departmentId: 'dept-enforcement' },
      limit: { amount: 2, unit: 'working_day' },
      dependsOn: ['inspect'],
    },
  ],
};
async function acknowledgedCase(): Promise<string> {
  const id = await raiseCase();
  await step(enforcement, id, 'acknowledge');
  return id;
}
/** Closed after verification and evaluation both ways; WJ-006 arms a re-inspection (30 days). */
async function closedCase(): Promise<string> {
  const id = await raiseCase();
  for (const dept of [enforcement, planning]) await step(dept, id, 'acknowledge');
  for (const dept of [enforcement, planning]) await step(dept, id, 'on-site');
  await step(enforcement, id, 'resolve', { summary: 'matrix: done' });
  await step(township, id, 'verify', { accept: true });
  const rating = (departmentId: string) => ({ departmentId, speed: 5, attitude: 5, result: 5 });
  await step(township, id, 'evaluate', { ratings: [rating('dept-enforcement'), rating('dept-planning')] });
  await step(enforcement, id, 'evaluate', { cooperation: 5 });
  await step(planning, id, 'evaluate', { cooperation: 5 });
  await eventually(async () => {
    const c = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${id}`, {
      token: await harness.stack.token(supervisor),
    });
    if (c.body.status !== 'closed' || !c.body.reinspection)
      throw new Error(`not closed with a re-inspection yet: ${c.body.status}`);
  });
  return id;
}
/** A department whistles for tw-nanpuxi's safety module (部门吹哨、乡镇报到). */
const reverseWhistle = () => ({
  ...illegalConstruction({ matterCode: undefined }),
  direction: 'to_township',
  module: 'safety',
});
async function reverseCase(): Promise<string> {
  const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
    token: await harness.stack.token(ecology),
    body: reverseWhistle(),
  });
  if (res.status !== 201) throw new Error(`reverse raise failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.caseId;
}

let sharedCase = '';
const onCase =
  (suffix = '') =>
  async () => ({ path: `/whistles/${sharedCase || (sharedCase = await raiseCase())}${suffix}` });
const all = (status: number) => Object.fromEntries(EVERYONE.map((w) => [w, status])) as Record<Who, number>;

const ROWS: Row[] = [
  {
    name: 'raise a whistle',
    method: 'POST',
    request: async () => ({ path: '/whistles', body: illegalConstruction() }),
    allowed: { township: 201 },
  },
  {
    name: 'read a case',
    method: 'GET',
    request: onCase(),
    allowed: { township: 200, calledDepartment: 200, dispatcher: 200, supervisor: 200, admin: 200 },
  },
  {
    name: 'list cases (scoped)',
    method: 'GET',
    request: async () => ({ path: '/whistles?pageSize=5' }),
    allowed: all(200),
  },
  {
    name: 'case history',
    method: 'GET',
    request: onCase('/history'),
    allowed: { township: 200, calledDepartment: 200, dispatcher: 200, supervisor: 200, admin: 200 },
  },
  {
    name: 'verify the chain',
    method: 'GET',
    request: onCase('/history/verify'),
    allowed: { township: 200, calledDepartment: 200, dispatcher: 200, supervisor: 200, admin: 200 },
  },
  {
    name: 'report for duty',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await raiseCase()}/acknowledge` }),
    allowed: { calledDepartment: 200 },
  },
  {
    name: 'come on site',
    method: 'POST',
    request: async () => {
      const id = await raiseCase();
      await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${id}/acknowledge`, {
        token: await harness.stack.token(enforcement),
      });
      return { path: `/whistles/${id}/on-site` };
    },
    allowed: { calledDepartment: 200 },
  },
  {
    name: 'add progress',
    method: 'POST',
    request: async () => ({
      path: `/whistles/${sharedCase || (sharedCase = await raiseCase())}/progress`,
      body: { note: 'matrix' },
    }),
    allowed: { township: 200, calledDepartment: 200, dispatcher: 200, supervisor: 200 },
  },
  {
    name: 'classify at the desk',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await raiseUnclear()}/classify`, body: { matterCode: 'WJ-006' } }),
    allowed: { dispatcher: 200 },
  },
  {
    name: 'decline a duty',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await raiseCase()}/decline`, body: { reason: 'matrix: not ours' } }),
    allowed: { calledDepartment: 200 },
  },
  {
    name: 'arbitrate a decline',
    method: 'POST',
    request: async () => ({
      path: `/whistles/${await declinedCase()}/arbitration`,
      body: { departmentId: 'dept-enforcement', decision: 'reject', note: 'matrix: it is yours' },
    }),
    allowed: { supervisor: 200 },
  },
  {
    name: 'ask to suspend',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await raiseCase()}/suspend`, body: { reason: 'matrix: waiting' } }),
    allowed: { calledDepartment: 200 },
  },
  {
    name: 'approve a suspension',
    method: 'POST',
    request: async () => ({
      path: `/whistles/${await suspendedCase(false)}/suspension/approve`,
      body: { departmentId: 'dept-enforcement' },
    }),
    allowed: { supervisor: 200 },
  },
  {
    name: 'resume suspended clocks',
    method: 'POST',
    // the supervisor names the department; a department resumes its own (the id it sends is not used)
    request: async () => ({
      path: `/whistles/${await suspendedCase(true)}/resume`,
      body: { departmentId: 'dept-enforcement' },
    }),
    allowed: { calledDepartment: 200, supervisor: 200 },
  },
  {
    name: 'plan joint enforcement',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await acknowledgedCase()}/plan`, body: PLAN }),
    allowed: { calledDepartment: 200 },
  },
  {
    name: 'complete a step',
    method: 'POST',
    request: async () => {
      const id = await acknowledgedCase();
      await step(enforcement, id, 'plan', PLAN);
      return { path: `/whistles/${id}/steps/inspect/complete`, body: { note: 'matrix: inspected' } };
    },
    // the step is the township's (its enforcement module): the lead that planned it may not complete it
    allowed: { township: 200 },
  },
  {
    name: 'withdraw a whistle',
    method: 'POST',
    request: async () => ({
      path: `/whistles/${await raiseCase()}/withdraw`,
      body: { reason: 'matrix: raised by mistake' },
    }),
    allowed: { township: 200 },
  },
  {
    name: 'merge a duplicate',
    method: 'POST',
    request: async () => {
      const [into, duplicate] = [await raiseCase(), await raiseCase()];
      return { path: `/whistles/${duplicate}/merge`, body: { intoCaseId: into } };
    },
    allowed: { dispatcher: 200 },
  },
  {
    name: 're-inspect a closed case',
    method: 'POST',
    request: async () => ({
      path: `/whistles/${await closedCase()}/reinspection`,
      body: { recurred: false, note: 'matrix: no recurrence' },
    }),
    allowed: { township: 200 },
  },
  // the reverse whistle: any county department raises it; the township reports for duty
  {
    name: 'raise a reverse whistle',
    method: 'POST',
    request: async () => ({ path: '/whistles', body: reverseWhistle() }),
    allowed: { calledDepartment: 201, otherDepartment: 201 },
  },
  {
    name: 'report for duty on a reverse whistle',
    method: 'POST',
    request: async () => ({ path: `/whistles/${await reverseCase()}/acknowledge` }),
    allowed: { township: 200 },
  },
  { name: 'list townships', method: 'GET', request: async () => ({ path: '/townships' }), allowed: all(200) },
  {
    name: 'read a township',
    method: 'GET',
    request: async () => ({ path: '/townships/tw-nanpuxi' }),
    allowed: all(200),
  },
  {
    name: 'create a township',
    method: 'POST',
    request: async () => ({ path: '/townships', body: township1(unique('tw')) }),
    allowed: { admin: 201 },
  },
  {
    name: 'change a township',
    method: 'PUT',
    request: async () => ({ path: '/townships/tw-matrix', body: township1('tw-matrix') }),
    allowed: { admin: 200 },
  },
  {
    name: 'retire a township',
    method: 'DELETE',
    request: async () => ({ path: '/townships/tw-matrix' }),
    allowed: { admin: 200 },
  },
  { name: 'list departments', method: 'GET', request: async () => ({ path: '/departments' }), allowed: all(200) },
  {
    name: 'create a department',
    method: 'POST',
    request: async () => ({ path: '/departments', body: department1(unique('dept')) }),
    allowed: { admin: 201 },
  },
  {
    name: 'change a department',
    method: 'PUT',
    request: async () => ({ path: '/departments/dept-matrix', body: department1('dept-matrix') }),
    allowed: { admin: 200 },
  },
  { name: 'list accounts', method: 'GET', request: async () => ({ path: '/accounts' }), allowed: { admin: 200 } },
  {
    name: 'read an account',
    method: 'GET',
    request: async () => ({ path: '/accounts/acc-admin' }),
    allowed: { admin: 200 },
  },
  { name: 'list matters', method: 'GET', request: async () => ({ path: '/matters' }), allowed: all(200) },
  { name: 'read a matter', method: 'GET', request: async () => ({ path: '/matters/WJ-006' }), allowed: all(200) },
  {
    name: 'matter history',
    method: 'GET',
    request: async () => ({ path: '/matters/WJ-006/history' }),
    allowed: all(200),
  },
  {
    name: 'export the list',
    method: 'GET',
    request: async () => ({ path: '/matters/export?format=json' }),
    allowed: all(200),
  },
  {
    name: 'matter usage',
    method: 'GET',
    request: async () => ({ path: '/matters/usage' }),
    allowed: { supervisor: 200, admin: 200 },
  },
  {
    name: 'audit every chain',
    method: 'GET',
    request: async () => ({ path: '/audit/verify' }),
    allowed: { supervisor: 200 },
  },
  {
    name: 'add a matter',
    method: 'POST',
    request: async () => ({ path: '/matters', body: { matter: matter1(unique('MX')), reason: 'matrix test' } }),
    allowed: { admin: 201 },
  },
  {
    name: 'change a matter',
    method: 'PUT',
    request: async () => ({
      path: '/matters/WJ-011',
      body: { matter: { ...matter1('WJ-011'), legalBasis: unique('《条例》') }, reason: 'matrix test' },
    }),
    allowed: { admin: 200 },
  },
  {
    name: 'import the list',
    method: 'POST',
    request: async () => ({
      path: '/matters/import',
      body: { reason: 'matrix test', matters: [matter1(unique('MI'))] },
    }),
    allowed: { admin: 200 },
  },
  {
    name: 'retire a matter',
    method: 'DELETE',
    request: async () => ({ path: '/matters/WJ-010', body: { reason: 'matrix test' } }),
    allowed: { admin: 200 },
  },
];

beforeAll(async () => {
  // the items the change rows touch must exist
  const token = await harness.stack.token(admin);
  await call(harness.stack.baseUrl, 'POST', '/api/v1/townships', { token, body: township1('tw-matrix') });
  await call(harness.stack.baseUrl, 'POST', '/api/v1/departments', { token, body: department1('dept-matrix') });
});

describe('when each role calls each endpoint', () => {
  const cases = ROWS.flatMap((row) => EVERYONE.map((who) => [row.name, who, row] as const));
  it.each(cases)('then "%s" as %s answers as the table says', async (_name, who, row) => {
    const { path, body } = await row.request();
    const res = await call(harness.stack.baseUrl, row.method, `/api/v1${path}`, {
      token: await harness.stack.token(ACTORS[who]),
      body,
    });
    const expected = row.allowed[who] ?? 403;
    expect(`${row.method} ${path} as ${who}: ${res.status}`).toBe(`${row.method} ${path} as ${who}: ${expected}`);
    if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('when the token is missing or wrong', () => {
  const key = new TextEncoder().encode(TEST_JWT_SECRET);
  const badTokens: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    [
      'an expired token',
      () =>
        new SignJWT({ role: 'supervisor' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(supervisor.accountId)
          .setIssuer('whistle')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(key),
    ],
    [
      'a bad signature',
      () =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(admin.accountId)
          .setIssuer('whistle')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another-secret-another-secret-another!')),
    ],
    ['a disabled account', () => harness.stack.token(disabledTownship)],
    ['an unknown account', () => harness.stack.token({ accountId: 'acc-nobody', role: 'admin' })],
  ];
  const cases = ROWS.flatMap((row) => badTokens.map(([what, token]) => [row.name, what, row, token] as const));
  it.each(cases)('then "%s" with %s is 401 and changes nothing', async (_name, _what, row, token) => {
    const { path, body } = await row.request();
    const res = await call(harness.stack.baseUrl, row.method, `/api/v1${path}`, { token: await token(), body });
    expect(res.status).toBe(401);
  });
});
