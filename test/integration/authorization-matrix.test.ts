/**
 * Every route of the OpenAPI document × every role × own/foreign scope, and every way a token can be
 * wrong. The rules live in one place (requireRole + domain/access + the workflow's validators); this
 * walks them all. The case actions' rows come from the action table (domain/actions.ts): its path
 * and roles; a new action without a setup here fails to compile, a new route without a row fails the
 * guard below.
 *
 * A denied call (401, 403) changes nothing: the case as a supervisor reads it (less `clocksNow`, read
 * at the moment), its audit history (length and last hash), or the reference item it aims at, are the
 * same after the call as before. The calls one row denies share one fixture (nothing changed it); each
 * allowed call gets its own, the first of them the shared one, which also proves the denials were
 * about who called and not about the state of the case.
 */
import { isDeepStrictEqual } from 'node:util';
import { SignJWT } from 'jose';
import { openApiDocument } from '../../api/contract/openapi';
import { ACTION_NAMES, CASE_ACTIONS, type ActionName } from '../../domain/actions';
import type { Actor } from '../../domain/identity';
import {
  admin,
  disabledTownship,
  dispatcher,
  ecology,
  enforcement,
  gridMember,
  illegalConstruction,
  otherTownship,
  planning,
  riverCheck,
  supervisor,
  township,
} from '../support/fixtures';
import { eventually } from '../support/eventually';
import { useHarness } from '../support/harness';
import { call, type JsonResponse } from '../support/http';
import { TEST_JWT_SECRET } from '../support/stack';
import { CN_2027_PROVISIONAL_NOTICE } from '../../domain/calendar';
import { listProposalModel } from '../../store/list-proposals';
import { caseIdOfReport } from '../../api/grid-reports/routes';

const harness = useHarness('dev-server');
const V1 = '/api/v1';

type Who =
  | 'township'
  | 'foreignTownship'
  | 'calledDepartment'
  | 'otherDepartment'
  | 'dispatcher'
  | 'supervisor'
  | 'admin'
  | 'gridMember';
const ACTORS: Record<Who, Actor> = {
  township,
  foreignTownship: otherTownship,
  calledDepartment: enforcement,
  otherDepartment: ecology,
  dispatcher,
  supervisor,
  admin,
  // a grid member of the case's township (tw-nanpuxi, grid 07): grid reports only, never a case
  gridMember,
};
const EVERYONE = Object.keys(ACTORS) as Who[];

const key = new TextEncoder().encode(TEST_JWT_SECRET);
const BAD_TOKENS = {
  'no token': async (): Promise<string | undefined> => undefined,
  'an expired token': () =>
    new SignJWT({ role: 'supervisor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(supervisor.accountId)
      .setIssuer('whistle')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key),
  'a bad signature': () =>
    new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.accountId)
      .setIssuer('whistle')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another!')),
  'a disabled account': () => harness.stack.token(disabledTownship),
  'an unknown account': () => harness.stack.token({ accountId: 'acc-nobody', role: 'admin' }),
};
type BadToken = keyof typeof BAD_TOKENS;
type Caller = Who | BadToken;
const isWho = (caller: Caller): caller is Who => caller in ACTORS;

/** Routes that answer without a token (operations); everything else is a row of the matrix. */
const PUBLIC_ROUTES = ['GET /healthz', 'GET /readyz', 'GET /metrics'];
/** Routes that landed after the matrix was extended, still without rows: to be added, not to grow. */
const NOT_YET_COVERED = ['POST /api/v1/matters/proposals/{id}/apply', 'POST /api/v1/matters/proposals/{id}/reject'];
/** A stream never ends, so the matrix cannot read its answer: its 401 and scope are in stats-api.test.ts. */
const STREAMED_ROUTES = ['GET /api/v1/overdue/stream'];

// ---------------------------------------------------------------------------------------------
// Fixtures: what a row calls, and what it could change

interface Fixture {
  /** the concrete path under /api/v1 */
  path: string;
  body?: (who: Who) => unknown;
  /** everything the call could change, read as it is now */
  observe: () => Promise<unknown>;
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;
const tokenOf = (actor: Actor) => harness.stack.token(actor);
const get = async (path: string, actor: Actor = admin) =>
  call(harness.stack.baseUrl, 'GET', `${V1}${path}`, { token: await tokenOf(actor) });
const answer = (res: JsonResponse) => `${res.status}${res.status >= 400 ? ` ${JSON.stringify(res.body)}` : ''}`;

/** A setup call on the way to the state a row needs; it must succeed, or the row means nothing. */
async function setup(actor: Actor, method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(harness.stack.baseUrl, method, `${V1}${path}`, { token: await tokenOf(actor), body });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`setup ${method} ${path} as ${actor.accountId} failed: ${answer(res)}`);
  return res.body;
}
const step = (actor: Actor, caseId: string, action: string, body?: unknown) =>
  setup(actor, 'POST', `/whistles/${caseId}/${action}`, body);

/** The case as a supervisor reads it (less the clocks read at this moment), and its audit chain's length and head. */
async function caseObservation(caseId: string) {
  const [state, history] = await Promise.all([
    get(`/whistles/${caseId}`, supervisor),
    get(`/whistles/${caseId}/history`, supervisor),
  ]);
  if (state.status !== 200 || history.status !== 200) throw new Error(`cannot read case ${caseId}: ${answer(state)}`);
  const { clocksNow: _readNow, ...rest } = state.body;
  const events: { hash: string }[] = history.body.events;
  return { state: rest, events: events.length, lastHash: events.at(-1)?.hash };
}
const observeCases =
  (...caseIds: string[]) =>
  () =>
    Promise.all(caseIds.map(caseObservation));
/** A reference item as the admin reads it: its answer, 404 included (a create must not have happened). */
const observeItem = (path: string) => async () => {
  const res = await get(path);
  // a problem's requestId differs on every call: its status is what counts
  return res.status < 400 ? { status: res.status, body: res.body } : { status: res.status };
};

/** Reads until two reads a moment apart agree: the audit trail and projections are written just after an answer. */
async function settled(observe: () => Promise<unknown>): Promise<unknown> {
  return eventually(async () => {
    const first = await observe();
    await new Promise((r) => setTimeout(r, 150));
    const second = await observe();
    if (!isDeepStrictEqual(first, second)) throw new Error('still settling');
    return second;
  });
}

// cases in the states the actions need: WJ-006, raised by tw-nanpuxi, lead enforcement, co-operating planning
async function raiseCase(): Promise<string> {
  return (await setup(township, 'POST', '/whistles', illegalConstruction())).caseId;
}
const unclearCase = async () =>
  (await setup(township, 'POST', '/whistles', illegalConstruction({ matterCode: undefined }))).caseId as string;
async function acknowledgedCase(): Promise<string> {
  const id = await raiseCase();
  await step(enforcement, id, 'acknowledge');
  return id;
}
/** Both departments reported for duty, the lead on site: the lead may report the result. */
async function workedCase(): Promise<string> {
  const id = await raiseCase();
  for (const dept of [enforcement, planning]) await step(dept, id, 'acknowledge');
  for (const dept of [enforcement, planning]) await step(dept, id, 'on-site');
  return id;
}
async function resolvedCase(): Promise<string> {
  const id = await workedCase();
  await step(enforcement, id, 'resolve', { summary: 'matrix: done' });
  return id;
}
async function evaluatingCase(): Promise<string> {
  const id = await resolvedCase();
  await step(township, id, 'verify', { accept: true });
  return id;
}
const rating = (departmentId: string) => ({ departmentId, speed: 5, attitude: 5, result: 5 });
const RATINGS = { ratings: [rating('dept-enforcement'), rating('dept-planning')] };
/** Closed after verification and evaluation both ways; WJ-006 arms a re-inspection (30 days). */
async function closedCase(): Promise<string> {
  const id = await evaluatingCase();
  await step(township, id, 'evaluate', RATINGS);
  await step(enforcement, id, 'evaluate', { cooperation: 5 });
  await step(planning, id, 'evaluate', { cooperation: 5 });
  await eventually(async () => {
    const c = await get(`/whistles/${id}`, supervisor);
    if (c.body.status !== 'closed' || !c.body.reinspection)
      throw new Error(`not closed with a re-inspection yet: ${c.body.status}`);
  });
  return id;
}
async function declinedCase(): Promise<string> {
  const id = await raiseCase();
  await step(enforcement, id, 'decline', { reason: 'matrix: not ours' });
  return id;
}
/** Enforcement asked to suspend its clocks; `approved` once the supervisor said yes. */
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
async function plannedCase(): Promise<string> {
  const id = await acknowledgedCase();
  await step(enforcement, id, 'plan', PLAN);
  return id;
}
/** Ecology whistles for tw-nanpuxi's safety module to assist on SL-005 (部门吹哨、乡镇报到). */
const reverseWhistle = () => riverCheck();
const reverseCase = async () => (await setup(ecology, 'POST', '/whistles', reverseWhistle())).caseId as string;

// ---------------------------------------------------------------------------------------------
// The case actions, one setup per row of the action table

interface ActionSetup {
  /** the case(s) in the state the action needs; the first is the one acted on */
  cases: () => Promise<string[]>;
  body?: (who: Who) => unknown;
  /** the path's other parameters (a step's key) */
  params?: Record<string, string>;
  /** the parties the rule admits on this case; everyone else is refused with 403 */
  by: Who[];
  /** the action may be repeated on one case (each allowed caller need not get its own) */
  repeatable?: boolean;
  /** callers the rule lets past who-may but refuses for the state (409), changing nothing */
  statuses?: Partial<Record<Who, number>>;
}
const one = (make: () => Promise<string>) => async () => [await make()];

const ACTION_SETUPS: Record<ActionName, ActionSetup> = {
  acknowledge: { cases: one(raiseCase), by: ['calledDepartment'] },
  arrive: { cases: one(acknowledgedCase), by: ['calledDepartment'] },
  classify: { cases: one(unclearCase), body: () => ({ matterCode: 'WJ-006' }), by: ['dispatcher'] },
  progress: {
    cases: one(raiseCase),
    body: () => ({ note: 'matrix' }),
    by: ['township', 'calledDepartment', 'dispatcher', 'supervisor'],
    repeatable: true,
  },
  resolve: { cases: one(workedCase), body: () => ({ summary: 'matrix: done' }), by: ['calledDepartment'] },
  verify: { cases: one(resolvedCase), body: () => ({ accept: true }), by: ['township'] },
  evaluate: {
    cases: one(evaluatingCase),
    // the township rates each department; a department rates the township's cooperation
    body: (who) => (ACTORS[who].role === 'township' ? RATINGS : { cooperation: 4 }),
    by: ['township', 'calledDepartment'],
  },
  decline: { cases: one(raiseCase), body: () => ({ reason: 'matrix: not ours' }), by: ['calledDepartment'] },
  arbitrate: {
    cases: one(declinedCase),
    body: () => ({ departmentId: 'dept-enforcement', decision: 'reject', note: 'matrix: it is yours' }),
    by: ['supervisor'],
  },
  suspend: { cases: one(raiseCase), body: () => ({ reason: 'matrix: waiting' }), by: ['calledDepartment'] },
  decideSuspension: {
    cases: one(() => suspendedCase(false)),
    body: () => ({ departmentId: 'dept-enforcement' }),
    by: ['supervisor'],
  },
  resume: {
    cases: one(() => suspendedCase(true)),
    // the supervisor names the department; a department resumes its own (the id it sends is not used)
    body: () => ({ departmentId: 'dept-enforcement' }),
    by: ['calledDepartment', 'supervisor'],
  },
  plan: { cases: one(acknowledgedCase), body: () => PLAN, by: ['calledDepartment'] },
  completeStep: {
    cases: one(plannedCase),
    params: { key: 'inspect' },
    body: () => ({ note: 'matrix: inspected' }),
    // the step is the township's (its enforcement module): the lead that planned it may not complete it
    by: ['township'],
  },
  withdraw: { cases: one(raiseCase), body: () => ({ reason: 'matrix: raised by mistake' }), by: ['township'] },
  merge: {
    // the duplicate first, then the case it would merge into: neither changes when refused
    cases: async () => {
      const [into, duplicate] = [await raiseCase(), await raiseCase()];
      return [duplicate, into];
    },
    by: ['dispatcher'],
  },
  returnWhistle: {
    cases: one(unclearCase),
    body: () => ({ reason: "matrix: not the county's business" }),
    by: ['dispatcher'],
  },
  reroute: {
    // routed, and no party has acted on it yet
    cases: one(raiseCase),
    body: () => ({ matterCode: 'WJ-006', reason: 'matrix: routed again' }),
    by: ['dispatcher'],
  },
  remind: {
    cases: one(raiseCase),
    body: () => ({ departmentId: 'dept-planning' }),
    // the raising township passes who-may; the rule then finds no duty near its limit on a case just
    // raised (a reminder's success needs the 75 % warning: duty-clocks.test.ts, on skipped time)
    by: [],
    statuses: { township: 409 },
  },
  reinspect: {
    cases: one(closedCase),
    body: () => ({ recurred: false, note: 'matrix: no recurrence' }),
    by: ['township'],
  },
};
// merge names the case it merges into: the second case of its fixture
const mergeBody = (into: string) => () => ({ intoCaseId: into });

// ---------------------------------------------------------------------------------------------
// The rows

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** the route as the OpenAPI document names it, under /api/v1 */
  route: string;
  fixture: () => Promise<Fixture>;
  /** who succeeds, with which status; everyone else gets 403 */
  allowed: Partial<Record<Who, number>>;
  /** the action table's roles: a caller outside them is refused by role, before the case is read */
  roles?: readonly string[];
  /** allowed callers may share one fixture (reads; repeatable actions) */
  shareable?: boolean;
  /** it observes a whole collection (all cases, a list): its fixture is made once nothing else is being made */
  global?: boolean;
}

function actionRow(name: ActionName): Row {
  const { path, roles } = CASE_ACTIONS[name];
  const s = ACTION_SETUPS[name];
  return {
    name: `${name} (${path})`,
    method: 'POST',
    route: `/whistles/{id}/${path}`,
    roles,
    shareable: s.repeatable ?? false,
    allowed: { ...Object.fromEntries(s.by.map((who) => [who, 200])), ...s.statuses },
    fixture: async () => {
      const ids = await s.cases();
      const params: Record<string, string> = { id: ids[0]!, ...s.params };
      return {
        path: `/whistles/{id}/${path}`.replace(/\{(\w+)\}/g, (_m, p: string) => params[p]!),
        body: name === 'merge' ? mergeBody(ids[1]!) : s.body,
        observe: observeCases(...ids),
      };
    },
  };
}

const all = (status: number) => Object.fromEntries(EVERYONE.map((w) => [w, status])) as Record<Who, number>;
/** Every role that works on cases: all but the grid member. */
const caseRoles = (status: number) => {
  const { gridMember: _grid, ...rest } = all(status);
  return rest;
};
const SEES_CASE = { township: 200, calledDepartment: 200, dispatcher: 200, supervisor: 200, admin: 200 };
const onCase = (suffix: string) => async (): Promise<Fixture> => {
  const id = await raiseCase();
  return { path: `/whistles/${id}${suffix}`, observe: observeCases(id) };
};
/** The number of cases, as a supervisor lists them: a refused raise starts none. */
const observeCaseCount = async () => (await get('/whistles?pageSize=1', supervisor)).body.total as number;

const township1 = (id: string, zh = '测试镇') => ({
  id,
  code: id,
  kind: 'township',
  name: { zh, en: 'Test Town' },
  modules: ['party', 'management', 'safety', 'service'].map((k) => ({ key: k, name: { zh: k, en: k } })),
  grids: [],
});
const department1 = (id: string, zh = '测试局') => ({ id, code: id, name: { zh, en: 'Test Bureau' }, stations: [] });
const account1 = (id: string, zh = '测试账号') => ({
  id,
  name: { zh, en: 'Test account' },
  role: 'township',
  orgUnitId: 'tw-nanpuxi',
});
const matter1 = (code: string, legalBasis = '《测试条例》') => ({
  code,
  name: { zh: '测试', en: 'Test' },
  category: 'urban_management',
  leadDepartmentId: 'dept-enforcement',
  cooperatingDepartmentIds: [],
  townshipRole: { zh: '报告', en: 'Report' },
  legalBasis,
  slaProfile: 'normal',
});

/** List, read, create, change and retire one kind of reference data; each change row on an item of its own. */
function referenceRows(
  collection: string,
  item: (id: string, zh?: string) => object,
  prefix: string,
  read: Partial<Record<Who, number>>,
): Row[] {
  const fresh = async () => {
    const id = unique(prefix);
    await setup(admin, 'POST', `/${collection}`, item(id));
    return id;
  };
  const listed = (path: string) => async () => ({ path, observe: observeItem(path) });
  return [
    {
      name: `list ${collection}`,
      global: true,
      method: 'GET',
      route: `/${collection}`,
      fixture: listed(`/${collection}`),
      allowed: read,
      shareable: true,
    },
    {
      name: `read one of ${collection}`,
      method: 'GET',
      route: `/${collection}/{id}`,
      fixture: async () => {
        const id = await fresh();
        return { path: `/${collection}/${id}`, observe: observeItem(`/${collection}/${id}`) };
      },
      allowed: read,
      shareable: true,
    },
    {
      name: `create one of ${collection}`,
      method: 'POST',
      route: `/${collection}`,
      fixture: async () => {
        const id = unique(prefix);
        return { path: `/${collection}`, body: () => item(id), observe: observeItem(`/${collection}/${id}`) };
      },
      allowed: { admin: 201 },
    },
    {
      name: `change one of ${collection}`,
      method: 'PUT',
      route: `/${collection}/{id}`,
      fixture: async () => {
        const id = await fresh();
        return {
          path: `/${collection}/${id}`,
          body: () => item(id, '改名'),
          observe: observeItem(`/${collection}/${id}`),
        };
      },
      allowed: { admin: 200 },
    },
    {
      name: `retire one of ${collection}`,
      method: 'DELETE',
      route: `/${collection}/{id}`,
      fixture: async () => {
        const id = await fresh();
        return { path: `/${collection}/${id}`, observe: observeItem(`/${collection}/${id}`) };
      },
      allowed: { admin: 200 },
    },
  ];
}

const freshMatter = async () => {
  const code = unique('MX');
  await setup(admin, 'POST', '/matters', { matter: matter1(code), reason: 'matrix test' });
  return code;
};
/** A matter and its versions, and the list version: a refused change makes no version. */
const observeMatter = (code: string) => async () => ({
  matter: await observeItem(`/matters/${code}/history`)(),
  listVersion: (await get('/matters')).body.listVersion,
});
const readOnly = (path: string) => async (): Promise<Fixture> => ({ path, observe: observeItem(path) });

/** A grid report filed by the grid member into tw-nanpuxi. */
const GRID_REPORT = {
  category: 'illegal_construction',
  description: 'matrix: a shed',
  location: { address: '下村 12 号' },
};
const filedReport = async () => (await setup(gridMember, 'POST', '/grid-reports', GRID_REPORT)).id as string;
/** The report as the admin reads it, and whether the case it would become exists (a refused whistle starts none). */
const observeReport = (id: string) => async () => ({
  report: await observeItem(`/grid-reports/${id}`)(),
  case: (await get(`/whistles/${caseIdOfReport(id)}`, supervisor)).status,
});
const onReport = (suffix: string, body?: unknown) => async (): Promise<Fixture> => {
  const id = await filedReport();
  return { path: `/grid-reports/${id}${suffix}`, ...(body ? { body: () => body } : {}), observe: observeReport(id) };
};
/** tw-nanpuxi's open grid reports, as the supervisor lists them: a refused filing adds none. */
const observeOpenReports = async () => (await get('/grid-reports?townshipId=tw-nanpuxi', supervisor)).body.items;

const GRID_REPORT_ROWS: Row[] = [
  {
    name: 'file a grid report',
    global: true,
    method: 'POST',
    route: '/grid-reports',
    fixture: async () => ({ path: '/grid-reports', body: () => GRID_REPORT, observe: observeOpenReports }),
    allowed: { gridMember: 201 },
  },
  {
    name: 'list grid reports (scoped)',
    global: true,
    method: 'GET',
    route: '/grid-reports',
    fixture: async () => ({ path: '/grid-reports?townshipId=tw-nanpuxi', observe: observeOpenReports }),
    // a foreign township asking for tw-nanpuxi's finds nothing (200, empty); departments have none
    allowed: { township: 200, foreignTownship: 200, gridMember: 200, dispatcher: 200, supervisor: 200, admin: 200 },
    shareable: true,
  },
  {
    name: 'read a grid report',
    method: 'GET',
    route: '/grid-reports/{id}',
    fixture: onReport(''),
    allowed: { township: 200, gridMember: 200, dispatcher: 200, supervisor: 200, admin: 200 },
    shareable: true,
  },
  {
    name: 'handle a grid report',
    method: 'POST',
    route: '/grid-reports/{id}/handle',
    fixture: onReport('/handle', { note: 'matrix: handled' }),
    allowed: { township: 200 },
  },
  {
    name: 'turn a grid report into a whistle',
    method: 'POST',
    route: '/grid-reports/{id}/whistle',
    fixture: onReport('/whistle', { matterCode: 'WJ-006', urgency: 'normal' }),
    allowed: { township: 201 },
  },
];

const ROWS: Row[] = [
  ...GRID_REPORT_ROWS,
  {
    name: 'raise a whistle',
    method: 'POST',
    route: '/whistles',
    fixture: async () => ({ path: '/whistles', body: () => illegalConstruction(), observe: observeCaseCount }),
    allowed: { township: 201 },
    global: true,
  },
  {
    name: 'raise a reverse whistle',
    method: 'POST',
    route: '/whistles',
    fixture: async () => ({ path: '/whistles', body: reverseWhistle, observe: observeCaseCount }),
    // a department the list names for the matter raises it (ecology leads SL-005); enforcement is not named
    allowed: { calledDepartment: 422, otherDepartment: 201 },
    global: true,
  },
  {
    name: 'list cases (scoped)',
    method: 'GET',
    route: '/whistles',
    fixture: async () => ({ path: '/whistles?pageSize=5', observe: observeCaseCount }),
    allowed: caseRoles(200),
    shareable: true,
    global: true,
  },
  {
    name: 'read a case',
    method: 'GET',
    route: '/whistles/{id}',
    fixture: onCase(''),
    allowed: SEES_CASE,
    shareable: true,
  },
  {
    name: 'case history',
    method: 'GET',
    route: '/whistles/{id}/history',
    fixture: onCase('/history'),
    allowed: SEES_CASE,
    shareable: true,
  },
  {
    name: 'export the history',
    method: 'GET',
    route: '/whistles/{id}/history/export',
    fixture: onCase('/history/export'),
    allowed: SEES_CASE,
    shareable: true,
  },
  {
    name: 'verify the chain',
    method: 'GET',
    route: '/whistles/{id}/history/verify',
    fixture: onCase('/history/verify'),
    allowed: SEES_CASE,
    shareable: true,
  },
  ...ACTION_NAMES.map(actionRow),
  {
    name: 'acknowledge (acknowledge) on a reverse whistle',
    method: 'POST',
    route: `/whistles/{id}/${CASE_ACTIONS.acknowledge.path}`,
    roles: CASE_ACTIONS.acknowledge.roles,
    fixture: async () => {
      const id = await reverseCase();
      return { path: `/whistles/${id}/${CASE_ACTIONS.acknowledge.path}`, observe: observeCases(id) };
    },
    // the township's module reports for duty; the raising department leads and reported when it blew it
    allowed: { township: 200, otherDepartment: 409 },
  },
  {
    name: 'decline (decline) on a reverse whistle',
    method: 'POST',
    route: `/whistles/{id}/${CASE_ACTIONS.decline.path}`,
    roles: CASE_ACTIONS.decline.roles,
    fixture: async () => {
      const id = await reverseCase();
      const path = `/whistles/${id}/${CASE_ACTIONS.decline.path}`;
      return { path, body: () => ({ reason: 'matrix: outside our role' }), observe: observeCases(id) };
    },
    // the township asked to assist may decline; the lead that blew the whistle may not
    allowed: { township: 200 },
  },
  ...referenceRows('townships', township1, 'tw', all(200)),
  ...referenceRows('departments', department1, 'dept', all(200)),
  ...referenceRows('accounts', account1, 'acc', { admin: 200 }),
  {
    name: 'list matters',
    global: true,
    method: 'GET',
    route: '/matters',
    fixture: readOnly('/matters'),
    allowed: all(200),
    shareable: true,
  },
  {
    name: 'read a matter',
    method: 'GET',
    route: '/matters/{code}',
    fixture: readOnly('/matters/WJ-006'),
    allowed: all(200),
    shareable: true,
  },
  {
    name: 'matter history',
    method: 'GET',
    route: '/matters/{code}/history',
    fixture: readOnly('/matters/WJ-006/history'),
    allowed: all(200),
    shareable: true,
  },
  {
    name: 'export the list',
    global: true,
    method: 'GET',
    route: '/matters/export',
    fixture: async () => ({ path: '/matters/export?format=json', observe: observeMatter('WJ-006') }),
    allowed: all(200),
    shareable: true,
  },
  {
    name: 'matter usage',
    global: true,
    method: 'GET',
    route: '/matters/usage',
    fixture: async () => ({ path: '/matters/usage', observe: observeMatter('WJ-006') }),
    allowed: { supervisor: 200, admin: 200 },
    shareable: true,
  },
  {
    name: 'list corrections proposed by rulings',
    global: true,
    method: 'GET',
    route: '/matters/proposals',
    fixture: readOnly('/matters/proposals'),
    allowed: { supervisor: 200, admin: 200 },
    shareable: true,
  },
  ...(
    [
      ['duties', { township: 200, foreignTownship: 200, calledDepartment: 200, otherDepartment: 200 }],
      ['desk', { dispatcher: 200, supervisor: 200 }],
      ['supervision', { supervisor: 200 }],
    ] as const
  ).map(([queue, allowed]) => ({
    name: `the ${queue} queue`,
    global: true,
    method: 'GET' as const,
    route: `/queues/${queue}`,
    fixture: readOnly(`/queues/${queue}`),
    allowed,
    shareable: true,
  })),
  ...(['apply', 'reject'] as const).map((verb): Row => ({
    name: `${verb} a list correction`,
    method: 'POST',
    route: `/matters/proposals/{id}/${verb}`,
    // a proposal that changes nothing when applied (the lead the list names already): routing stays
    fixture: async () => {
      const id = unique('case-matrix:1');
      const change = { matterCode: 'WJ-006', leadDepartmentId: 'dept-enforcement', note: 'no-op' };
      await listProposalModel(harness.db.connection).create({
        _id: id,
        id,
        caseId: 'case-matrix',
        seq: 1,
        proposedAt: new Date().toISOString(),
        proposedBy: supervisor.accountId,
        departmentId: 'dept-planning',
        change,
        status: 'proposed',
      });
      const observe = async () => (await get('/matters/proposals')).body.items.find((p: { id: string }) => p.id === id);
      return { path: `/matters/proposals/${id}/${verb}`, body: () => ({ reason: 'per the ruling' }), observe };
    },
    allowed: { admin: 200 },
  })),
  ...(['/whistles/export', '/overdue/export'] as const).map((route): Row => ({
    name: `export ${route}`,
    global: true,
    method: 'GET',
    route,
    fixture: readOnly(route),
    allowed: caseRoles(200),
    shareable: true,
  })),
  ...(['/calendar', '/calendar/versions', '/calendar/versions/1'] as const).map((path): Row => ({
    name: `the working calendar: ${path}`,
    global: true,
    method: 'GET',
    route: path.replace(/\/1$/, '/{version}'),
    fixture: readOnly(path),
    allowed: all(200),
    shareable: true,
  })),
  {
    name: "load a year's holiday notice",
    global: true,
    method: 'PUT',
    route: '/calendar/years/{year}',
    // loading the provisional 2027 data as the notice changes no date: other rows' cases are unmoved
    fixture: async () => ({
      path: '/calendar/years/2027',
      body: () => ({ source: 'matrix test', holidays: CN_2027_PROVISIONAL_NOTICE.holidays }),
      observe: observeItem('/calendar/versions'),
    }),
    allowed: { admin: 201 },
  },
  {
    name: 'the overdue list',
    global: true,
    method: 'GET',
    route: '/overdue',
    fixture: readOnly('/overdue'),
    allowed: caseRoles(200),
    shareable: true,
  },
  // statistics and rankings: the county-wide roles read all; a department or township its own row
  ...(
    [
      ['/stats/departments', 'department'],
      ['/stats/townships', 'township'],
      ['/stats/open', 'township'],
      ['/stats/matters', undefined],
      ['/rankings/departments', 'department'],
      ['/rankings/townships', 'township'],
    ] as const
  ).map(([route, unit]): Row => ({
    name: `statistics ${route}`,
    global: true,
    method: 'GET',
    route,
    fixture: readOnly(route),
    allowed: {
      supervisor: 200,
      admin: 200,
      ...(unit === 'department' ? { calledDepartment: 200, otherDepartment: 200 } : {}),
      ...(unit === 'township' ? { township: 200, foreignTownship: 200 } : {}),
    },
    shareable: true,
  })),
  {
    name: 'audit every chain',
    global: true,
    method: 'GET',
    route: '/audit/verify',
    fixture: readOnly('/audit/verify'),
    allowed: { supervisor: 200 },
    shareable: true,
  },
  {
    name: 'add a matter',
    global: true,
    method: 'POST',
    route: '/matters',
    fixture: async () => {
      const code = unique('MX');
      return {
        path: '/matters',
        body: () => ({ matter: matter1(code), reason: 'matrix test' }),
        observe: observeMatter(code),
      };
    },
    allowed: { admin: 201 },
  },
  {
    name: 'change a matter',
    global: true,
    method: 'PUT',
    route: '/matters/{code}',
    fixture: async () => {
      const code = await freshMatter();
      return {
        path: `/matters/${code}`,
        body: () => ({ matter: matter1(code, '《改后条例》'), reason: 'matrix test' }),
        observe: observeMatter(code),
      };
    },
    allowed: { admin: 200 },
  },
  {
    name: 'retire a matter',
    global: true,
    method: 'DELETE',
    route: '/matters/{code}',
    fixture: async () => {
      const code = await freshMatter();
      return { path: `/matters/${code}`, body: () => ({ reason: 'matrix test' }), observe: observeMatter(code) };
    },
    allowed: { admin: 200 },
  },
  {
    name: 'import the list',
    global: true,
    method: 'POST',
    route: '/matters/import',
    fixture: async () => {
      const code = unique('MI');
      return {
        path: '/matters/import',
        body: () => ({ reason: 'matrix test', matters: [matter1(code)] }),
        observe: observeMatter(code),
      };
    },
    allowed: { admin: 200 },
  },
];

// ---------------------------------------------------------------------------------------------

const operations = (doc: ReturnType<typeof openApiDocument>) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    ['get', 'post', 'put', 'delete', 'patch']
      .filter((m) => m in (item as object))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

describe('when the matrix is laid over the OpenAPI document', () => {
  it('then every documented route has a row, and every row a documented route', () => {
    const documented = operations(openApiDocument()).sort();
    const covered = [
      ...new Set([
        ...ROWS.map((r) => `${r.method} ${V1}${r.route}`),
        ...PUBLIC_ROUTES,
        ...NOT_YET_COVERED,
        ...STREAMED_ROUTES,
      ]),
    ].sort();
    expect(covered).toEqual(documented);
  });

  it("then every case action's row takes its path and roles from the action table, and admits only those roles", () => {
    for (const name of ACTION_NAMES) {
      const row = ROWS.find((r) => r.route === `/whistles/{id}/${CASE_ACTIONS[name].path}`)!;
      expect(row.roles).toBe(CASE_ACTIONS[name].roles);
      for (const who of Object.keys(row.allowed) as Who[])
        expect(`${name}: ${who} as ${ACTORS[who].role}`).toBe(
          `${name}: ${who} as ${CASE_ACTIONS[name].roles.includes(ACTORS[who].role) ? ACTORS[who].role : 'a role the table does not name'}`,
        );
    }
  });

  it.each(PUBLIC_ROUTES)('then the public route %s answers without a token', async (route) => {
    const [method, path] = route.split(' ') as [string, string];
    const res = await fetch(`${harness.stack.baseUrl}${path}`, { method });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

type Made = { fixture: Fixture; before: unknown };
const make = async (row: Row): Promise<Made> => {
  const fixture = await row.fixture();
  return { fixture, before: await settled(fixture.observe) };
};
/**
 * The shared fixture of each row that observes only its own items is made ahead, a few at a time:
 * most of the time is spent waiting on the servers. Rows that observe a whole collection make theirs once the others are made.
 */
const ahead = new Map<Row, Promise<Made>>();
let allMadeAhead: Promise<unknown> = Promise.resolve();
beforeAll(() => {
  const queue = ROWS.filter((row) => !row.global);
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const made = make(row);
      ahead.set(row, made);
      // a failure is reported by the row's own tests, not as an unhandled rejection here
      await made.catch(() => undefined);
    }
  };
  allMadeAhead = Promise.all([worker(), worker(), worker()]);
});

for (const row of ROWS) {
  const expectedOf = (caller: Caller) => (isWho(caller) ? (row.allowed[caller] ?? 403) : 401);
  const callers: Caller[] = [
    ...EVERYONE.filter((who) => !(who in row.allowed)),
    ...(Object.keys(BAD_TOKENS) as BadToken[]),
    // a refusal the rule gives a caller it admits (409) is shown on the case as made, before any success
    ...EVERYONE.filter((who) => who in row.allowed).sort(
      (a, b) => Number(row.allowed[a]! < 400) - Number(row.allowed[b]! < 400),
    ),
  ];
  // the denied callers share one fixture (and the first allowed caller uses it after them)
  let shared: Promise<Made> | undefined;
  let sharedUsedByAllowed = false;
  const sharedFixture = async () => {
    // made ahead, or being made: wait for it to be started rather than start another
    if (row.global) await allMadeAhead;
    else await eventually(async () => expect(ahead.has(row)).toBe(true), 600_000);
    return (shared ??= ahead.get(row) ?? make(row));
  };

  describe(`when "${row.name}" (${row.method} ${row.route}) is called`, () => {
    it.each(callers.map((caller) => [caller, expectedOf(caller)] as const))(
      'then as %s it answers %s, and a refusal changes nothing',
      async (caller, expected) => {
        const allowed = expected < 400;
        const fresh = allowed && !row.shareable && sharedUsedByAllowed;
        if (allowed) sharedUsedByAllowed = true;
        const { fixture, before } = fresh ? await make(row) : await sharedFixture();
        const token = isWho(caller) ? await tokenOf(ACTORS[caller]) : await BAD_TOKENS[caller]();
        const body = fixture.body?.(isWho(caller) ? caller : 'admin');
        const res = await call(harness.stack.baseUrl, row.method, `${V1}${fixture.path}`, { token, body });
        // the body is shown only when the status is not the expected one
        expect({
          call: `${row.method} ${fixture.path}`,
          status: res.status,
          ...(res.status !== expected && { body: res.body }),
        }).toEqual({
          call: `${row.method} ${fixture.path}`,
          status: expected,
        });
        if (allowed) {
          // a raise answers once the case started; the list shows it once its first events are recorded
          if (row.route === '/whistles' && row.method === 'POST')
            await eventually(async () => expect(await observeCaseCount()).toBe((before as number) + 1));
          return;
        }
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        if (row.roles && isWho(caller))
          // the table's roles are what the API enforces first; a role it names is refused by the case's rule
          expect(res.body.detail).toMatch(
            row.roles.includes(ACTORS[caller].role) ? /^(?!role \w+ may not do this)/ : /^role \w+ may not do this/,
          );
        expect(await fixture.observe()).toEqual(before);
      },
    );
  });
}

describe('when a unit outside the case calls an action while the case is in another state', () => {
  // one case just raised: the actions' own states (evaluating, planned, closed …) are not reached
  let outside: Promise<{ caseId: string; observe: () => Promise<unknown>; before: unknown }> | undefined;
  const OUTSIDERS: Who[] = ['foreignTownship', 'otherDepartment', 'gridMember'];
  it.each(ACTION_NAMES.flatMap((name) => OUTSIDERS.map((who) => [name, who] as const)))(
    'then %s as %s is refused with 403, never told the state of the case, and nothing changes',
    async (name, who) => {
      const { caseId, observe, before } = await (outside ??= (async () => {
        const id = await raiseCase();
        return { caseId: id, observe: observeCases(id), before: await settled(observeCases(id)) };
      })());
      const s = ACTION_SETUPS[name];
      const params: Record<string, string> = { id: caseId, ...s.params };
      const path = `/whistles/{id}/${CASE_ACTIONS[name].path}`.replace(/\{(\w+)\}/g, (_m, p: string) => params[p]!);
      const res = await call(harness.stack.baseUrl, 'POST', `${V1}${path}`, {
        token: await tokenOf(ACTORS[who]),
        body: name === 'merge' ? { intoCaseId: caseId } : s.body?.(who),
      });
      expect({ path, status: res.status, ...(res.status !== 403 && { body: res.body }) }).toEqual({
        path,
        status: 403,
      });
      expect(await observe()).toEqual(before);
    },
  );
});
