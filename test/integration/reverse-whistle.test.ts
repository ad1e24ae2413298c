/**
 * The reverse whistle as the reform means it (部门吹哨、乡镇报到), over HTTP through real servers: a
 * department whistles for a township module's help only on a matter the list holds, names it for,
 * and gives the township a role in that covers what is asked ("清单之外无属地管理事项"); the
 * department leads — it plans, comes on site, resolves and answers for the result — while the
 * township's module reports for duty, comes on site and completes its steps; the township may
 * decline and the supervisor rules; the township verifies the result; both rate each other.
 * Every refusal answers problem+json naming the problem and changes nothing.
 */
import type { Actor } from '../../domain/identity';
import { admin, ecology, enforcement, riverCheck, supervisor, township } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { call, type JsonResponse } from '../support/http';
import { useHarness } from '../support/harness';
import { answer, caseApi } from '../support/case-api';

const harness = useHarness('dev-server');

const { as, raiseAs, act, read, history, ok } = caseApi(harness);
const eventTypes = async (caseId: string) => (await history(caseId)).map((e) => e.type);
/** How many cases there are, as a supervisor lists them (a refused raise starts none). */
const caseCount = async () =>
  (await call(harness.stack.baseUrl, 'GET', '/api/v1/whistles?pageSize=1', { token: await as(supervisor) })).body
    .total as number;

/** A refusal: its status, and the reason it gives (problem+json). */
async function refused(res: JsonResponse, status: number, reason: RegExp): Promise<void> {
  expect(`${res.status} ${String(res.body.detail)}`).toMatch(new RegExp(`^${status} .*${reason.source}`));
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
}

async function raiseRiverCheck(): Promise<any> {
  const res = await raiseAs(ecology, riverCheck());
  expect(`raise: ${answer(res)}`).toBe('raise: 201');
  return res.body;
}

const step = (key: string, assignee: object, dependsOn: string[] = []) => ({
  key,
  title: `步骤 ${key} / step ${key}`,
  kind: 'evidence',
  assignee,
  limit: { amount: 2, unit: 'hour' },
  dependsOn,
});
const bySafetyModule = { kind: 'township', townshipId: 'tw-nanpuxi', module: 'safety' };
const byEcology = { kind: 'department', departmentId: 'dept-ecology' };
const TOWNSHIP = 'tw-nanpuxi';

describe('when a department whistles for a township outside the list or beyond its role', () => {
  it('then it is refused with 422 naming the matter, the department or the task, and no case starts', async () => {
    const before = await caseCount();
    const { matterCode: _none, ...withoutMatter } = riverCheck();
    const cases: [string, unknown, Actor, number, string, RegExp][] = [
      ['no matter', withoutMatter, ecology, 422, 'matterCode', /names the matter .*清单之外无属地管理事项/],
      [
        'a matter the list does not hold',
        riverCheck({ matterCode: 'ZZ-999' }),
        ecology,
        422,
        'matterCode',
        /matter ZZ-999 is not on the responsibility list/,
      ],
      [
        'a matter the list names another department for',
        riverCheck({ matterCode: 'WJ-006' }),
        ecology,
        422,
        'matterCode',
        /does not name dept-ecology for matter WJ-006/,
      ],
      [
        "a task outside the township's role on the matter",
        riverCheck({ assistTasks: ['report', 'evacuate'] }),
        ecology,
        422,
        'assistTasks',
        /role on matter SL-005 \(发现报告、固定证据、配合调查取证 .*\) does not cover evacuate; .*超出清单所列乡镇职责/,
      ],
      [
        "a module the township doesn't have",
        riverCheck({ assistModule: 'astronomy' }),
        ecology,
        422,
        'assistModule',
        /no module "astronomy"/,
      ],
      ['a department not named even as co-operating', riverCheck(), enforcement, 422, 'matterCode', /dept-enforcement/],
    ];
    for (const [what, body, by, status, field, reason] of cases) {
      const res = await raiseAs(by, body);
      expect(`${what}: ${res.status} ${res.body.errors?.[0]?.field}`).toBe(`${what}: ${status} ${field}`);
      await refused(res, status, reason);
    }

    // the body itself: the module asked and the tasks must be named (400), on a reverse whistle only
    const { assistModule: _m, assistTasks: _t, ...unnamed } = riverCheck();
    const missing = await raiseAs(ecology, unnamed);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['assistModule', 'assistTasks']);
    const { direction: _d, ...forward } = riverCheck();
    const onForward = await raiseAs(township, forward);
    expect(onForward.status).toBe(400);
    expect(onForward.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'assistModule',
      'assistTasks',
    ]);
    // a township does not blow a reverse whistle
    await refused(await raiseAs(township, riverCheck()), 403, /raised by a county department/);

    expect(await caseCount()).toBe(before);
  });
});

describe('when a department whistles for a township module on its own matter (部门吹哨、乡镇报到)', () => {
  it('then the department leads to closure: the township reports, comes on site and completes its step; the township verifies; both rate', async () => {
    const raised = await raiseRiverCheck();
    const { caseId } = raised;
    expect(raised).toMatchObject({
      status: 'reporting',
      direction: 'to_township',
      raisedBy: { accountId: ecology.accountId },
      routing: { matter: { code: 'SL-005', leadDepartmentId: 'dept-ecology' } },
      assist: {
        townshipId: TOWNSHIP,
        module: 'safety',
        tasks: ['report', 'fix_evidence'],
        townshipRole: { zh: '发现报告、固定证据、配合调查取证' },
      },
    });
    // the department leads and answers for the result: it reported for duty by blowing the whistle and
    // has its resolve clock; the township's module is called on its own clocks, with no resolve clock
    const [lead, assisting] = raised.duties;
    expect(lead).toMatchObject({
      departmentId: 'dept-ecology',
      role: 'lead',
      status: 'acknowledged',
      acknowledgedAt: raised.raisedAt,
      clocks: { acknowledge: { metAt: raised.raisedAt }, onSite: {}, resolve: {} },
    });
    expect(assisting).toMatchObject({
      departmentId: TOWNSHIP,
      role: 'cooperating',
      module: 'safety',
      status: 'called',
    });
    expect(assisting.clocks.resolve).toBeUndefined();

    // the lead has reported already; the township does not lead
    await refused(await act(ecology, caseId, 'acknowledge'), 409, /already reported for duty/);
    await refused(
      await act(township, caseId, 'plan', { steps: [step('x', bySafetyModule)] }),
      403,
      /role township may not do this/,
    );
    await refused(await act(enforcement, caseId, 'acknowledge'), 403, /not called on this case/);

    expect((await ok(township, caseId, 'acknowledge')).status).toBe('in_progress');
    await ok(township, caseId, 'on-site');
    await refused(await act(township, caseId, 'resolve', { summary: 'x' }), 403, /only the lead reports the result/);

    // the township's steps go to the module asked to assist
    const wrongModule = await act(ecology, caseId, 'plan', {
      steps: [step('sample', { ...bySafetyModule, module: 'management' })],
    });
    await refused(wrongModule, 422, /asked the township's safety module to assist, not management/);
    const planned = await ok(ecology, caseId, 'plan', {
      steps: [step('sample', bySafetyModule), step('trace', byEcology, ['sample'])],
    });
    expect(planned.plan.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'sample:open',
      'trace:waiting',
    ]);
    await refused(await act(ecology, caseId, 'steps/sample/complete', { note: 'x' }), 403, /only the assignee/);
    await ok(township, caseId, 'steps/sample/complete', { note: '已取样固证 / sampled and fixed' });
    await refused(await act(ecology, caseId, 'resolve', { summary: 'x' }), 409, /come on site/);
    await ok(ecology, caseId, 'on-site');
    await refused(await act(ecology, caseId, 'resolve', { summary: 'x' }), 409, /steps to finish: trace/);
    await ok(ecology, caseId, 'steps/trace/complete', { note: '已溯源 / traced' });
    const resolved = await ok(ecology, caseId, 'resolve', { summary: '排污口已封堵 / outfall sealed' });
    expect(resolved.status).toBe('awaiting_verification');
    expect(resolved.duties[0].clocks.resolve.metAt).toBeDefined();

    // the township verifies on site: the department does not accept its own result
    await refused(await act(ecology, caseId, 'verify', { accept: true }), 403, /township verifies/);
    expect((await ok(township, caseId, 'verify', { accept: true })).status).toBe('evaluating');
    await eventually(async () => expect((await read(caseId)).evaluation).toBeDefined());

    // both ways: the township rates the lead department, the department the township's cooperation
    await refused(
      await act(township, caseId, 'evaluate', {
        ratings: [{ departmentId: TOWNSHIP, speed: 5, attitude: 5, result: 5 }],
      }),
      409,
      /rate each called department once: dept-ecology/,
    );
    await ok(township, caseId, 'evaluate', {
      ratings: [{ departmentId: 'dept-ecology', speed: 5, attitude: 4, result: 5, comment: '牵头有力 / led well' }],
    });
    await ok(ecology, caseId, 'evaluate', { cooperation: 5, comment: '乡镇配合到位 / well assisted' });
    const closed = await eventually(async () => {
      const c = await read(caseId);
      expect(c.status).toBe('closed');
      return c;
    });
    expect(closed.evaluation).toMatchObject({
      closedBySilence: false,
      byTownship: { by: township.accountId, ratings: [{ departmentId: 'dept-ecology', speed: 5 }] },
      byDepartments: [{ departmentId: 'dept-ecology', cooperation: 5 }],
    });
    await eventually(async () =>
      expect(await eventTypes(caseId)).toEqual([
        'whistle.raised',
        'duty.acknowledged',
        'duty.arrived',
        'plan.made',
        'step.completed',
        'duty.arrived',
        'step.completed',
        'case.resolved',
        'case.verified',
        'case.evaluated',
        'case.evaluated',
        'case.closed',
      ]),
    );
  });
});

describe('when the township asked to assist declines (outside the list or its role)', () => {
  it('then the lead cannot decline, and a rejected decline leaves the township on its running clocks', async () => {
    const { caseId } = await raiseRiverCheck();
    await refused(await act(ecology, caseId, 'decline', { reason: 'x' }), 403, /leads it and answers for it/);
    const declined = await ok(township, caseId, 'decline', { reason: '超出乡镇职责 / outside our role' });
    expect(declined.duties[1].dispute).toMatchObject({ departmentId: TOWNSHIP, declinedBy: township.accountId });
    await refused(await act(township, caseId, 'decline', { reason: 'again' }), 409, /awaits the supervisor/);

    const ruled = await ok(supervisor, caseId, 'arbitration', {
      departmentId: TOWNSHIP,
      decision: 'reject',
      note: '清单列明乡镇负责发现报告、固定证据 / the list gives the township this role',
    });
    expect(ruled.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual(['dept-ecology', TOWNSHIP]);
    expect(ruled.duties[1].dispute).toBeUndefined();
    expect(ruled.duties[1].clocks.acknowledge.deadline).toBe(declined.duties[1].clocks.acknowledge.deadline);
    expect(ruled.disputes).toEqual([
      expect.objectContaining({ departmentId: TOWNSHIP, ruling: expect.objectContaining({ decision: 'reject' }) }),
    ]);
    expect((await ok(township, caseId, 'acknowledge')).status).toBe('in_progress');
  });

  it('then an upheld decline releases the township, its step goes to the lead, nobody is reassigned; the township still verifies and both rate', async () => {
    const { caseId } = await raiseRiverCheck();
    await ok(ecology, caseId, 'plan', { steps: [step('sample', bySafetyModule)] });
    await ok(township, caseId, 'decline', { reason: '水体监测不属乡镇职责 / not a township task' });
    const before = await read(caseId);
    const reassigned = await act(supervisor, caseId, 'arbitration', {
      departmentId: TOWNSHIP,
      decision: 'uphold',
      note: 'x',
      reassignTo: 'dept-water',
    });
    await refused(reassigned, 422, /releases it and reassigns nothing: the lead department dept-ecology keeps/);
    expect(await read(caseId)).toEqual(before);

    const upheld = await ok(supervisor, caseId, 'arbitration', {
      departmentId: TOWNSHIP,
      decision: 'uphold',
      note: '超出清单所列乡镇职责 / outside the township role',
    });
    expect(upheld).toMatchObject({
      status: 'in_progress',
      duties: [{ departmentId: 'dept-ecology', role: 'lead' }],
      releasedDuties: [{ departmentId: TOWNSHIP, excused: true }],
      plan: { steps: [{ key: 'sample', status: 'open', assignee: byEcology }] },
    });
    expect(upheld.duties).toHaveLength(1);
    expect(upheld.disputes[0].ruling).not.toHaveProperty('reassignTo');
    // released: it is no longer asked for anything
    await refused(
      await act(ecology, caseId, 'plan', {
        steps: [step('sample', byEcology), step('more', bySafetyModule)],
        reason: 'y',
      }),
      422,
      /township was released/,
    );
    await refused(await act(township, caseId, 'acknowledge'), 403, /not called on this case/);

    await ok(ecology, caseId, 'steps/sample/complete', { note: '部门自行取样 / sampled ourselves' });
    await ok(ecology, caseId, 'on-site');
    await ok(ecology, caseId, 'resolve', { summary: '已处置 / handled' });
    await ok(township, caseId, 'verify', { accept: true });
    await eventually(async () => expect((await read(caseId)).evaluation).toBeDefined());
    await ok(township, caseId, 'evaluate', {
      ratings: [{ departmentId: 'dept-ecology', speed: 4, attitude: 4, result: 4 }],
    });
    await ok(ecology, caseId, 'evaluate', { cooperation: 3 });
    await eventually(async () => expect((await read(caseId)).status).toBe('closed'));
  });

  it("then on a township's own whistle an upheld decline still names the department to reassign to (422)", async () => {
    const raised = await raiseAs(township, {
      matterCode: 'WJ-006',
      title: '违法建设 / illegal building',
      description: '临时建筑逾期不拆除 / not removed',
      urgency: 'normal',
      location: { townshipId: TOWNSHIP, address: '下村 12 号' },
    });
    const { caseId } = raised.body;
    const planning: Actor = { accountId: 'acc-planning-officer', role: 'department', orgUnitId: 'dept-planning' };
    await ok(planning, caseId, 'decline', { reason: '不属本部门 / not ours' });
    const res = await act(supervisor, caseId, 'arbitration', {
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: 'x',
    });
    await refused(res, 422, /names the department to reassign to/);
  });
});

describe("when the supervisor upholds a township's decline and corrects its role on the list", () => {
  it('then the correction waits for the administrator, and once applied the township is no longer asked beyond it', async () => {
    const { caseId } = await raiseRiverCheck();
    await ok(township, caseId, 'decline', { reason: '固定证据非乡镇职责 / fixing evidence is not ours' });
    await ok(supervisor, caseId, 'arbitration', {
      departmentId: TOWNSHIP,
      decision: 'uphold',
      note: '清单调整：乡镇仅负责发现报告 / the township only reports',
      listChange: { matterCode: 'SL-005', townshipTasks: ['report'], note: '乡镇职责调整 / narrow the role' },
    });
    const get = async (path: string) =>
      call(harness.stack.baseUrl, 'GET', `/api/v1${path}`, { token: await as(admin) });
    const proposal = await eventually(async () => {
      const found = (await get('/matters/proposals?status=proposed')).body.items.find(
        (p: { caseId: string }) => p.caseId === caseId,
      );
      expect(found).toMatchObject({ change: { matterCode: 'SL-005', townshipTasks: ['report'] } });
      return found as { id: string };
    });
    const applied = await call(harness.stack.baseUrl, 'POST', `/api/v1/matters/proposals/${proposal.id}/apply`, {
      token: await as(admin),
      body: { reason: '依裁决调整 / per the ruling' },
    });
    expect(applied.status).toBe(200);
    expect((await get('/matters/SL-005')).body).toMatchObject({ townshipTasks: ['report'], version: 2 });

    await refused(await raiseAs(ecology, riverCheck()), 422, /does not cover fix_evidence; it covers report/);
    expect((await raiseAs(ecology, riverCheck({ assistTasks: ['report'] }))).status).toBe(201);
  });
});
