/**
 * The organisation and the responsibility list over HTTP, against real servers: reads for every
 * role, admin changes as new versions with who and why, CSV/JSON export and import (all or
 * nothing), usage per matter, and an open case that keeps the list version it was routed by.
 */
import type { Actor } from '../../domain/identity';
import {
  admin,
  disabledTownship,
  enforcement,
  illegalConstruction,
  planning,
  supervisor,
  township,
} from '../support/fixtures';
import { call } from '../support/http';
import { useHarness } from '../support/harness';

const harness = useHarness('dev-server');

const as = (actor: Actor) => harness.stack.token(actor);
const get = async (path: string, actor: Actor) =>
  call(harness.stack.baseUrl, 'GET', `/api/v1${path}`, { token: await as(actor) });
const send = async (method: string, path: string, actor: Actor, body?: unknown, headers?: Record<string, string>) =>
  call(harness.stack.baseUrl, method, `/api/v1${path}`, {
    token: await as(actor),
    body,
    ...(headers ? { headers } : {}),
  });

const newMatter = (code: string, overrides: Record<string, unknown> = {}) => ({
  code,
  name: { zh: '测试事项', en: 'Test matter' },
  category: 'urban_management',
  leadDepartmentId: 'dept-enforcement',
  cooperatingDepartmentIds: ['dept-housing'],
  townshipRole: { zh: '发现报告', en: 'Discover and report' },
  legalBasis: '《城市市容和环境卫生管理条例》',
  slaProfile: 'normal',
  ...overrides,
});

describe('when anyone signed in reads the organisation and the list', () => {
  it('then the demo county is there: 14 townships with modules and grids, 17 departments, the matters with their ids', async () => {
    const townships = await get('/townships', enforcement);
    expect(townships.status).toBe(200);
    expect(townships.body.items.length).toBeGreaterThanOrEqual(12);
    const nanpuxi = townships.body.items.find((t: { id: string }) => t.id === 'tw-nanpuxi');
    expect(nanpuxi.modules.map((m: { key: string }) => m.key)).toEqual(
      expect.arrayContaining(['party', 'management', 'safety', 'service']),
    );
    expect(nanpuxi.grids.some((g: { id: string }) => g.id === 'tw-nanpuxi-g07')).toBe(true);

    expect((await get('/departments', township)).body.items).toHaveLength(17);
    const matters = await get('/matters', supervisor);
    expect(matters.body.items.length).toBeGreaterThanOrEqual(80);
    expect(matters.body.items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        code: expect.any(String),
        leadDepartmentId: expect.any(String),
        cooperatingDepartmentIds: expect.any(Array),
      }),
    );
    expect((await get('/matters/WJ-006', township)).body).toMatchObject({
      id: 'WJ-006',
      version: 1,
      leadDepartmentId: 'dept-enforcement',
    });
    expect((await get('/matters/NOPE-999', township)).status).toBe(404);
  });

  it("then only the admin may change them, and accounts are the admin's alone to read", async () => {
    expect((await send('POST', '/matters', township, { matter: newMatter('CS-901'), reason: 'try' })).status).toBe(403);
    expect((await send('PUT', '/townships/tw-nanpuxi', supervisor, {})).status).toBe(403);
    expect((await get('/accounts', supervisor)).status).toBe(403);
    expect((await get('/accounts', admin)).status).toBe(200);
  });
});

describe('when the admin changes a matter', () => {
  it('then a new version records who and why, and an open case keeps the version it was routed by', async () => {
    const raised = await send('POST', '/whistles', township, illegalConstruction());
    expect(raised.status).toBe(201);
    const before = raised.body.routing;

    const changed = await send('PUT', '/matters/WJ-006', admin, {
      matter: {
        ...newMatter('WJ-006'),
        name: { zh: '未经批准临时建设', en: 'Unapproved temporary building' },
        leadDepartmentId: 'dept-housing',
        cooperatingDepartmentIds: ['dept-enforcement'],
      },
      reason: '2026 年第二次清单审查：住建牵头 / second review: housing leads',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, leadDepartmentId: 'dept-housing', changedBy: admin.accountId });
    expect(changed.body.listVersion).toBeGreaterThan(before.listVersion);

    const history = await get('/matters/WJ-006/history', township);
    expect(
      history.body.versions.map((v: { version: number; reason: string }) => [v.version, v.reason.slice(0, 4)]),
    ).toEqual([
      [1, 'demo'],
      [2, '2026'],
    ]);

    const open = await get(`/whistles/${raised.body.caseId}`, supervisor);
    expect(open.body.routing).toEqual(before);
    expect(open.body.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
    const next = await send('POST', '/whistles', township, illegalConstruction());
    expect(next.body.routing.matter).toMatchObject({ version: 2, leadDepartmentId: 'dept-housing' });
  });

  it('then asking for a department the list does not name is refused and starts nothing', async () => {
    const res = await send(
      'POST',
      '/whistles',
      township,
      illegalConstruction({ matterCode: 'WJ-001', departmentIds: ['dept-police'] }),
    );
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/dept-police/);
    expect(res.body.detail).toMatch(/清单之外/);
  });

  it('then a whistle with no matter or an unknown one goes to the dispatch desk', async () => {
    const res = await send('POST', '/whistles', township, illegalConstruction({ matterCode: 'ZZ-404' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'dispatching', duties: [] });
    expect(res.body.routing.dispatchReason).toMatch(/ZZ-404/);
  });

  it("then an unknown department in a matter is refused, and so is a retired matter's routing", async () => {
    const bad = await send('POST', '/matters', admin, {
      matter: newMatter('CS-902', { leadDepartmentId: 'dept-nowhere' }),
      reason: 'new matter',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].reason).toMatch(/unknown department dept-nowhere/);

    expect((await send('POST', '/matters', admin, { matter: newMatter('CS-903'), reason: 'new matter' })).status).toBe(
      201,
    );
    const retired = await send('DELETE', '/matters/CS-903', admin, { reason: 'merged into CG-001' });
    expect(retired.body).toMatchObject({ retired: true, version: 2 });
    const whistle = await send('POST', '/whistles', township, illegalConstruction({ matterCode: 'CS-903' }));
    expect(whistle.body.status).toBe('dispatching');
  });
});

describe('when the list is exported and imported', () => {
  it('then CSV round-trips: an unchanged import makes no version, a changed row makes one', async () => {
    const res = await fetch(`${harness.stack.baseUrl}/api/v1/matters/export?format=csv`, {
      headers: { authorization: `Bearer ${await as(admin)}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await res.text();
    expect(csv.split('\n')[0]).toContain('code,name_zh,name_en,category,leadDepartmentId');

    const same = await send('POST', '/matters/import?reason=no%20change', admin, csv, { 'content-type': 'text/csv' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ created: [], changed: [], retired: [] });

    // WJ-001: planning led, enforcement co-operated; now enforcement leads alone
    const edited = csv
      .replace(/^(WJ-001,[^,]+,[^,]+,[^,]+,)dept-planning/m, '$1dept-enforcement')
      .replace(/^(WJ-001,(?:[^,]*,){4})dept-enforcement;?/m, '$1');
    const changed = await send('POST', '/matters/import?reason=annual%20review', admin, edited, {
      'content-type': 'text/csv',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.changed).toEqual(['WJ-001']);
    expect((await get('/matters/WJ-001', township)).body).toMatchObject({
      version: 2,
      leadDepartmentId: 'dept-enforcement',
      reason: 'annual review',
    });
  });

  it('then a malformed import names every bad row with its line and imports nothing', async () => {
    const versionBefore = (await get('/matters', admin)).body.listVersion;
    const rows = [
      newMatter('CS-910'),
      newMatter('CS-911', { slaProfile: 'whenever' }),
      newMatter('CS-910'),
      newMatter('CS-912', { cooperatingDepartmentIds: ['dept-ghost'] }),
      { code: 'CS-913' },
    ];
    const res = await send('POST', '/matters/import', admin, { reason: 'bulk add', matters: rows });
    expect(res.status).toBe(422);
    const byLine = res.body.errors.map((e: { line: number; reason: string }) => `${e.line}: ${e.reason}`);
    expect(byLine).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2: slaProfile/),
        expect.stringMatching(/^3: duplicate code CS-910 \(first on line 1\)/),
        expect.stringMatching(/^4: unknown department dept-ghost/),
        expect.stringMatching(/^5: name/),
      ]),
    );
    expect((await get('/matters/CS-910', admin)).status).toBe(404);
    expect((await get('/matters', admin)).body.listVersion).toBe(versionBefore);
  });

  it('then a CSV with a misspelt column is refused before any row is read', async () => {
    const res = await send('POST', '/matters/import?reason=x%20y', admin, 'code,nmae_zh\nA-1,x\n', {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].reason).toMatch(/unknown columns: nmae_zh/);
  });
});

describe('when supervisors ask which matters are used', () => {
  it('then each matter shows how often it was whistled, and the never-used ones are listed', async () => {
    const usage = await get('/matters/usage', supervisor);
    expect(usage.status).toBe(200);
    const wj006 = usage.body.items.find((i: { code: string }) => i.code === 'WJ-006');
    expect(wj006.whistled).toBeGreaterThanOrEqual(2);
    expect(usage.body.neverUsed).toContain('WJ-011');
    expect(usage.body.totals.used + usage.body.totals.neverUsed).toBe(usage.body.totals.matters);
    expect((await get('/matters/usage', township)).status).toBe(403);
  });
});

describe('when an account is disabled', () => {
  it('then its tokens stop working at once, and a token whose role no longer matches is refused', async () => {
    const res = await get('/townships', disabledTownship);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/disabled/);

    const planningOfficer = (await get('/accounts/acc-planning-officer', admin)).body;
    expect((await get('/townships', planning)).status).toBe(200);
    expect(
      (await send('PUT', '/accounts/acc-planning-officer', admin, { ...planningOfficer, enabled: false })).status,
    ).toBe(200);
    expect((await get('/townships', planning)).status).toBe(401);
    await send('PUT', '/accounts/acc-planning-officer', admin, { ...planningOfficer, enabled: true });

    const wrongRole = await get('/townships', { ...planning, role: 'supervisor', orgUnitId: undefined });
    expect(wrongRole.status).toBe(401);
  });
});

describe('when the admin retries a create with an Idempotency-Key', () => {
  it('then the same body answers as the first time, and without the key (or with another body) it is a conflict', async () => {
    const headers = { 'idempotency-key': 'create-cs-950' };
    const body = { matter: newMatter('CS-950'), reason: 'new matter' };
    expect((await send('POST', '/matters', admin, body, headers)).status).toBe(201);
    const retry = await send('POST', '/matters', admin, body, headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ code: 'CS-950', version: 1 });
    expect((await send('POST', '/matters', admin, body)).status).toBe(409);
    expect((await send('POST', '/matters', admin, { ...body, reason: 'another reason' }, headers)).status).toBe(409);

    const town = {
      id: 'tw-idem',
      code: 'tw-idem',
      kind: 'township',
      name: { zh: '幂等镇', en: 'Idem Town' },
      modules: ['party', 'management', 'safety', 'service'].map((key) => ({ key, name: { zh: key, en: key } })),
      grids: [],
    };
    expect((await send('POST', '/townships', admin, town, headers)).status).toBe(201);
    expect((await send('POST', '/townships', admin, town, headers)).status).toBe(201);
    expect((await send('POST', '/townships', admin, { ...town, code: 'other' }, headers)).status).toBe(409);
  });
});
