/**
 * Township modules and grid members over HTTP through real servers: a whistle records the module
 * that raised it; a module's enforcement step is completed by that module (or a township-wide
 * account), never by another module; grid members file grid reports (网格上报) that the township
 * handles itself or turns into a whistle in one step, the two linked both ways; grid members do not
 * work on cases; another township is refused. Every refusal changes nothing.
 */
import type { Actor } from '../../domain/identity';
import { chinaDay, GridReports } from '../../store/grid-reports';
import {
  admin,
  enforcement,
  enforcementModule,
  gridMember,
  illegalConstruction,
  otherGridMember,
  otherTownship,
  planning,
  safetyModule,
  supervisor,
  township,
} from '../support/fixtures';
import { eventually } from '../support/eventually';
import { call, type JsonResponse } from '../support/http';
import { useHarness } from '../support/harness';

const harness = useHarness('dev-server');

const as = (actor: Actor) => harness.stack.token(actor);
const api = async (actor: Actor, method: string, path: string, body?: unknown) =>
  call(harness.stack.baseUrl, method, `/api/v1${path}`, { token: await as(actor), body });
const answer = (res: JsonResponse) => `${res.status} ${res.status >= 400 ? JSON.stringify(res.body) : ''}`.trim();
async function ok(actor: Actor, method: string, path: string, body?: unknown, status = 200): Promise<any> {
  const res = await api(actor, method, path, body);
  expect(`${method} ${path} as ${actor.accountId}: ${answer(res)}`).toBe(
    `${method} ${path} as ${actor.accountId}: ${status}`,
  );
  return res.body;
}

/** The case as a supervisor reads it (less the clocks read at the moment) and its audit trail's length. */
async function caseNow(caseId: string) {
  const { clocksNow: _now, ...state } = await ok(supervisor, 'GET', `/whistles/${caseId}`);
  const { events } = await ok(supervisor, 'GET', `/whistles/${caseId}/history`);
  return { state, events: events.length };
}
/** Waits until the case's audit trail has caught up with its state (events are recorded just after an answer). */
const settledCase = (caseId: string) =>
  eventually(async () => {
    const first = await caseNow(caseId);
    await new Promise((r) => setTimeout(r, 150));
    expect(await caseNow(caseId)).toEqual(first);
    return first;
  });

const photo = { kind: 'photo', uri: 'https://evidence.example/xiacun-shed.jpg', sha256: 'ab'.repeat(32) };
const report = (overrides: object = {}) => ({
  category: 'illegal_construction',
  description: '下村 12 号旁新搭临时棚屋 / a new shed beside Xiacun 12',
  location: { address: '南浦溪镇下村 12 号', coordinates: { lat: 27.55, lng: 119.71 } },
  evidence: [photo],
  ...overrides,
});
const file = async (actor: Actor = gridMember, body: object = report()) =>
  ok(actor, 'POST', '/grid-reports', body, 201);

describe('when a module lead blows the whistle', () => {
  it('then the case, its list entry and its audit trail record the module; a township-wide account records none', async () => {
    const byModule = await ok(enforcementModule, 'POST', '/whistles', illegalConstruction(), 201);
    expect(byModule.raisedByModule).toBe('enforcement');
    expect(byModule.raisedBy).toMatchObject({ accountId: 'acc-nanpuxi-enforcement', module: 'enforcement' });
    const byTownship = await ok(township, 'POST', '/whistles', illegalConstruction(), 201);
    expect(byTownship.raisedByModule).toBeUndefined();

    await eventually(async () => {
      const { items } = await ok(supervisor, 'GET', '/whistles?townshipId=tw-nanpuxi&pageSize=100');
      expect(items.find((c: any) => c.caseId === byModule.caseId)?.raisedByModule).toBe('enforcement');
      expect(items.find((c: any) => c.caseId === byTownship.caseId)).not.toHaveProperty('raisedByModule');
    });
    const { events } = await ok(supervisor, 'GET', `/whistles/${byModule.caseId}/history`);
    expect(events[0].actor).toMatchObject({ accountId: 'acc-nanpuxi-enforcement', module: 'enforcement' });
  });

  it('then a token cannot claim a module: the module is read from the account', async () => {
    const token = await harness.stack.token({ ...township, module: 'enforcement' });
    const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token, body: illegalConstruction() });
    expect(res.status).toBe(201);
    expect(res.body.raisedByModule).toBeUndefined();
  });
});

describe("when a township module's enforcement step is completed", () => {
  const steps = [
    {
      key: 'inspect',
      title: '联合检查 / joint inspection',
      kind: 'inspection',
      assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'enforcement' },
      limit: { amount: 1, unit: 'working_day' },
      dependsOn: [],
    },
    {
      key: 'mediate',
      title: '入户调解 / mediation',
      kind: 'inspection',
      assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'mediation' },
      limit: { amount: 1, unit: 'working_day' },
      dependsOn: [],
    },
  ];
  async function plannedCase(): Promise<string> {
    const { caseId } = await ok(township, 'POST', '/whistles', illegalConstruction(), 201);
    await ok(enforcement, 'POST', `/whistles/${caseId}/acknowledge`);
    await ok(enforcement, 'POST', `/whistles/${caseId}/plan`, { steps });
    return caseId;
  }

  it("then another module's account is refused with 403 naming the module, and nothing changes", async () => {
    const caseId = await plannedCase();
    const before = await settledCase(caseId);
    const res = await api(safetyModule, 'POST', `/whistles/${caseId}/steps/inspect/complete`, { note: '已检查' });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/enforcement module's.*safety module.*该步骤由enforcement模块承办/);
    expect(await caseNow(caseId)).toEqual(before);
  });

  it("then the module's own account completes it, and a township-wide account completes any module's step", async () => {
    const caseId = await plannedCase();
    const done = await ok(enforcementModule, 'POST', `/whistles/${caseId}/steps/inspect/complete`, { note: '已检查' });
    expect(done.plan.steps.find((s: any) => s.key === 'inspect')).toMatchObject({
      status: 'done',
      completedBy: 'acc-nanpuxi-enforcement',
    });
    const mediated = await ok(township, 'POST', `/whistles/${caseId}/steps/mediate/complete`, { note: '已调解' });
    expect(mediated.plan.steps.find((s: any) => s.key === 'mediate')).toMatchObject({
      status: 'done',
      completedBy: 'acc-nanpuxi-lead',
    });
  });

  it('then a plan naming a module the township does not have is refused with 422 naming the field', async () => {
    const { caseId } = await ok(township, 'POST', '/whistles', illegalConstruction(), 201);
    await ok(enforcement, 'POST', `/whistles/${caseId}/acknowledge`);
    const before = await settledCase(caseId);
    const bad = [{ ...steps[0], assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'fisheries' } }];
    const res = await api(enforcement, 'POST', `/whistles/${caseId}/plan`, { steps: bad });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'steps.0.assignee.module', reason: expect.stringMatching(/fisheries/) }]);
    expect(await caseNow(caseId)).toEqual(before);
  });
});

describe('when the administrator places accounts in modules and grids', () => {
  const account = (id: string, fields: object) => ({ id, name: { zh: '测试', en: 'test' }, ...fields });

  it('then a module or a grid the township does not have is refused with 422 naming the field, and nothing is created', async () => {
    const cases = [
      ['acc-t-nomodule', { role: 'township', orgUnitId: 'tw-nanpuxi', moduleKey: 'fisheries' }, 'moduleKey'],
      ['acc-t-foreigngrid', { role: 'grid', orgUnitId: 'tw-nanpuxi', gridId: 'tw-luoyang-g01' }, 'gridId'],
      ['acc-t-notownship', { role: 'grid', orgUnitId: 'tw-nowhere', gridId: 'tw-nowhere-g01' }, 'orgUnitId'],
    ] as const;
    for (const [id, fields, field] of cases) {
      const res = await api(admin, 'POST', '/accounts', account(id, fields));
      expect(`${id}: ${res.status} ${res.body.errors?.[0]?.field}`).toBe(`${id}: 422 ${field}`);
      expect((await api(admin, 'GET', `/accounts/${id}`)).status).toBe(404);
    }
    // a grid member without a grid, and a department account with a module, are bad input
    for (const fields of [
      { role: 'grid', orgUnitId: 'tw-nanpuxi' },
      { role: 'department', orgUnitId: 'dept-enforcement', moduleKey: 'safety' },
    ])
      expect((await api(admin, 'POST', '/accounts', account('acc-t-bad', fields))).status).toBe(400);
  });

  it('then a module lead and a grid member of that township are created, and act with their module and grid', async () => {
    await ok(
      admin,
      'POST',
      '/accounts',
      account('acc-t-service', { role: 'township', orgUnitId: 'tw-nanpuxi', moduleKey: 'service' }),
      201,
    );
    await ok(
      admin,
      'POST',
      '/accounts',
      account('acc-t-grid02', { role: 'grid', orgUnitId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g02' }),
      201,
    );
    const filed = await file({ accountId: 'acc-t-grid02', role: 'grid', orgUnitId: 'tw-nanpuxi' });
    expect(filed).toMatchObject({ townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g02', filedBy: 'acc-t-grid02' });
    const { raisedByModule } = await ok(
      { accountId: 'acc-t-service', role: 'township', orgUnitId: 'tw-nanpuxi' },
      'POST',
      '/whistles',
      illegalConstruction(),
      201,
    );
    expect(raisedByModule).toBe('service');
  });
});

describe('when a grid member files a grid report', () => {
  it("then it is open in its township's list and in the member's own, for the member's grid", async () => {
    const filed = await file();
    expect(filed).toMatchObject({
      townshipId: 'tw-nanpuxi',
      gridId: 'tw-nanpuxi-g07',
      status: 'open',
      filedBy: 'acc-nanpuxi-grid07',
      evidence: [photo],
    });
    const ids = (body: any) => body.items.map((r: any) => r.id);
    expect(ids(await ok(township, 'GET', '/grid-reports'))).toContain(filed.id);
    expect(ids(await ok(gridMember, 'GET', '/grid-reports'))).toContain(filed.id);
    expect(ids(await ok(supervisor, 'GET', '/grid-reports?townshipId=tw-nanpuxi'))).toContain(filed.id);
    expect(ids(await ok(otherTownship, 'GET', '/grid-reports'))).not.toContain(filed.id);
    expect(ids(await ok(otherTownship, 'GET', '/grid-reports?townshipId=tw-nanpuxi'))).toEqual([]);
    expect(ids(await ok(otherGridMember, 'GET', '/grid-reports'))).not.toContain(filed.id);
  });

  it('then bad input and another grid are refused, and nothing is filed', async () => {
    const before = (await ok(gridMember, 'GET', '/grid-reports')).items.length;
    const wrongGrid = await api(gridMember, 'POST', '/grid-reports', report({ gridId: 'tw-nanpuxi-g01' }));
    expect(wrongGrid.status).toBe(422);
    expect(wrongGrid.body.errors[0].field).toBe('gridId');
    const badCategory = await api(gridMember, 'POST', '/grid-reports', report({ category: 'ufo' }));
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.errors[0].field).toBe('category');
    // a township account does not file grid reports
    expect((await api(township, 'POST', '/grid-reports', report())).status).toBe(403);
    expect((await ok(gridMember, 'GET', '/grid-reports')).items).toHaveLength(before);
  });
});

describe('when the township handles a grid report itself', () => {
  it('then it is closed with the note and the module, leaves the open list, and cannot be handled or whistled again', async () => {
    const filed = await file();
    const handled = await ok(safetyModule, 'POST', `/grid-reports/${filed.id}/handle`, {
      note: '已督促拆除 / removed',
    });
    expect(handled).toMatchObject({
      status: 'handled',
      handled: { by: 'acc-nanpuxi-safety', module: 'safety', note: '已督促拆除 / removed' },
    });
    expect((await ok(township, 'GET', '/grid-reports')).items.map((r: any) => r.id)).not.toContain(filed.id);
    expect((await ok(township, 'GET', '/grid-reports?status=handled')).items.map((r: any) => r.id)).toContain(filed.id);
    const again = await api(township, 'POST', `/grid-reports/${filed.id}/handle`, { note: 'again' });
    expect(again.status).toBe(409);
    const whistle = await api(township, 'POST', `/grid-reports/${filed.id}/whistle`, { urgency: 'normal' });
    expect(whistle.status).toBe(409);
    expect(await ok(gridMember, 'GET', `/grid-reports/${filed.id}`)).toEqual(handled);
  });
});

describe('when the township turns a grid report into a whistle', () => {
  it("then the case keeps the report's id, place and evidence, the report keeps the case's, and repeating it answers the same case", async () => {
    const filed = await file();
    const first = await api(enforcementModule, 'POST', `/grid-reports/${filed.id}/whistle`, {
      matterCode: 'WJ-006',
      urgency: 'normal',
    });
    expect(answer(first)).toBe('201');
    const { gridReport, case: c } = first.body;
    expect(c).toMatchObject({
      gridReportId: filed.id,
      raisedByModule: 'enforcement',
      title: '网格上报：违法建设 / Grid report: illegal construction',
      description: filed.description,
      location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', address: '南浦溪镇下村 12 号' },
      evidence: [photo],
      status: 'reporting',
    });
    expect(c.duties.map((d: any) => d.departmentId).sort()).toEqual(['dept-enforcement', 'dept-planning']);
    expect(gridReport).toMatchObject({
      status: 'whistled',
      whistle: { caseId: c.caseId, by: 'acc-nanpuxi-enforcement', module: 'enforcement' },
    });
    expect(first.headers.get('location')).toBe(`/api/v1/whistles/${c.caseId}`);

    const again = await api(township, 'POST', `/grid-reports/${filed.id}/whistle`, { urgency: 'urgent' });
    expect(answer(again)).toBe('200');
    expect(again.body.case.caseId).toBe(c.caseId);
    expect(again.body.case.urgency).toBe('normal');
    expect(await ok(gridMember, 'GET', `/grid-reports/${filed.id}`)).toMatchObject({
      status: 'whistled',
      whistle: { caseId: c.caseId },
    });
    expect((await api(township, 'POST', `/grid-reports/${filed.id}/handle`, { note: 'too late' })).status).toBe(409);

    // the departments called work the case as any other; the list shows where it came from
    await ok(planning, 'POST', `/whistles/${c.caseId}/acknowledge`);
    await eventually(async () => {
      const { items } = await ok(township, 'GET', '/whistles?pageSize=100');
      expect(items.find((i: any) => i.caseId === c.caseId)?.gridReportId).toBe(filed.id);
    });
  });

  it('then a whistle the rules refuse leaves the report open, and a corrected call succeeds', async () => {
    const filed = await file();
    const refused = await api(township, 'POST', `/grid-reports/${filed.id}/whistle`, {
      matterCode: 'WJ-006',
      urgency: 'normal',
      departmentIds: ['dept-market'],
    });
    expect(refused.status).toBe(422);
    expect(await ok(township, 'GET', `/grid-reports/${filed.id}`)).toEqual(filed);
    const res = await api(township, 'POST', `/grid-reports/${filed.id}/whistle`, { urgency: 'urgent' });
    expect(answer(res)).toBe('201');
    // no matter named: the dispatch desk classifies it
    expect(res.body.case).toMatchObject({ status: 'dispatching', gridReportId: filed.id, urgency: 'urgent' });
  });
});

describe('when someone outside the township or the case work acts', () => {
  it('then a grid member is refused every case read and action, and the case is unchanged', async () => {
    const { caseId } = await ok(township, 'POST', '/whistles', illegalConstruction(), 201);
    const before = await settledCase(caseId);
    for (const [method, path, body] of [
      ['GET', '/whistles', undefined],
      ['GET', `/whistles/${caseId}`, undefined],
      ['GET', `/whistles/${caseId}/history`, undefined],
      ['POST', '/whistles', illegalConstruction()],
      ['POST', `/whistles/${caseId}/progress`, { note: '网格员补充 / a note' }],
      ['POST', `/whistles/${caseId}/acknowledge`, undefined],
      ['POST', `/whistles/${caseId}/withdraw`, { reason: 'no' }],
      ['GET', '/queues/duties', undefined],
      ['GET', '/overdue', undefined],
    ] as const) {
      const res = await api(gridMember, method, path, body);
      expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 403`);
    }
    expect(await caseNow(caseId)).toEqual(before);
  });

  it("then another township and another township's grid member are refused, and the report is unchanged", async () => {
    const filed = await file();
    for (const [actor, method, path, body] of [
      [otherTownship, 'GET', `/grid-reports/${filed.id}`, undefined],
      [otherTownship, 'POST', `/grid-reports/${filed.id}/handle`, { note: 'not ours' }],
      [otherTownship, 'POST', `/grid-reports/${filed.id}/whistle`, { urgency: 'normal' }],
      [otherGridMember, 'GET', `/grid-reports/${filed.id}`, undefined],
      [gridMember, 'POST', `/grid-reports/${filed.id}/handle`, { note: 'mine' }],
      [enforcement, 'GET', `/grid-reports/${filed.id}`, undefined],
    ] as const) {
      const res = await api(actor, method, path, body);
      expect(`${actor.accountId} ${method} ${path}: ${res.status}`).toBe(`${actor.accountId} ${method} ${path}: 403`);
    }
    expect(await ok(township, 'GET', `/grid-reports/${filed.id}`)).toEqual(filed);
  });
});

describe('when grid reports are counted for statistics', () => {
  it('then each township counts those filed, handled and whistled on the days asked, each once however often it is recorded', async () => {
    const store = new GridReports(harness.db.connection);
    const today = chinaDay(new Date());
    const before = await store.count({ from: today, to: today });
    const of = (counts: typeof before, id: string) =>
      counts.find((c) => c.townshipId === id) ?? { townshipId: id, filed: 0, handled: 0, whistled: 0 };

    const [a, b, c] = [await file(), await file(), await file()];
    const theirs = await file(otherGridMember, report({ location: { address: '罗阳镇城东社区' } }));
    await ok(township, 'POST', `/grid-reports/${a.id}/handle`, { note: '已处置' });
    await ok(township, 'POST', `/grid-reports/${b.id}/whistle`, { matterCode: 'WJ-006', urgency: 'normal' }, 201);
    // repeated: the same case, counted once
    await ok(township, 'POST', `/grid-reports/${b.id}/whistle`, { matterCode: 'WJ-006', urgency: 'normal' });
    await ok(otherTownship, 'POST', `/grid-reports/${theirs.id}/handle`, { note: '已处置' });
    await store.counted((await store.get(a.id))!);
    expect(c.status).toBe('open');

    const after = await store.count({ from: today, to: today });
    const delta = (id: string) => {
      const [x, y] = [of(before, id), of(after, id)];
      return { filed: y.filed - x.filed, handled: y.handled - x.handled, whistled: y.whistled - x.whistled };
    };
    expect(delta('tw-nanpuxi')).toEqual({ filed: 3, handled: 1, whistled: 1 });
    expect(delta('tw-luoyang')).toEqual({ filed: 1, handled: 1, whistled: 0 });
    expect(await store.count({ from: today, to: today, townshipId: 'tw-luoyang' })).toEqual([of(after, 'tw-luoyang')]);
    // the township statistics show the same figures, also for a township with no whistle in the period
    const { rows } = await ok(supervisor, 'GET', `/stats/townships?from=${today}&to=${today}`);
    for (const id of ['tw-nanpuxi', 'tw-luoyang']) {
      const { townshipId: _id, ...counts } = of(after, id);
      expect(rows.find((r: any) => r.townshipId === id)?.gridReports).toEqual(counts);
    }
    const own = await ok(otherTownship, 'GET', `/stats/townships?from=${today}&to=${today}`);
    expect(own).toMatchObject({ rows: [{ townshipId: 'tw-luoyang', gridReports: delta('tw-luoyang') }] });
    // a range that ends yesterday does not see today's
    const yesterday = chinaDay(new Date(Date.now() - 86_400_000));
    expect(of(await store.count({ from: '2026-01-01', to: yesterday }), 'tw-nanpuxi').filed).toBe(0);
  });
});

describe('when grid members file many reports at once', () => {
  it('then every one is counted, before the fold, after it and after a fold run again: none lost to a concurrent write', async () => {
    const store = new GridReports(harness.db.connection);
    const today = chinaDay(new Date());
    const filedIn = async () =>
      (await store.count({ from: today, to: today, townshipId: 'tw-nanpuxi' }))[0]?.filed ?? 0;
    const before = await filedIn();
    // twenty at once: on FerretDB 1.x, twenty `$addToSet`s on one tally kept only some of the ids
    const filed = await Promise.all(Array.from({ length: 20 }, () => file()));
    expect(new Set(filed.map((r: { id: string }) => r.id)).size).toBe(20);
    expect(await filedIn()).toBe(before + 20);
    // the fold (the statistics' Schedule) adds them to the month's tally; its clock a minute on so
    // that this minute's outcomes are behind its watermark; folding again adds nothing
    const later = new Date(Date.now() + 2 * 60_000);
    expect((await store.foldTallies(later)).outcomes).toBeGreaterThanOrEqual(20);
    expect(await filedIn()).toBe(before + 20);
    await store.foldTallies(new Date(later.getTime() + 60_000));
    expect(await filedIn()).toBe(before + 20);
  });
});
