/**
 * The case actions beyond report-for-duty, over HTTP through real servers: decline and arbitration,
 * suspension, joint-enforcement plans, withdrawal, merging duplicates, evidence on raise (the
 * reverse whistle has its own file: reverse-whistle.test.ts). A refused action answers problem+json naming the reason and
 * changes nothing: neither the case nor its audit trail.
 */
import type { Actor } from '../../domain/identity';
import {
  admin,
  dispatcher,
  ecology,
  enforcement,
  housing,
  illegalConstruction,
  otherTownship,
  planning,
  supervisor,
  township,
} from '../support/fixtures';
import { eventually } from '../support/eventually';
import { call, type JsonResponse } from '../support/http';
import { useHarness } from '../support/harness';
import { answer, caseApi } from '../support/case-api';

const harness = useHarness('dev-server');

const { as, raiseAs, act, read, history, ok } = caseApi(harness);

async function raise(body: unknown = illegalConstruction(), actor: Actor = township): Promise<any> {
  const res = await raiseAs(actor, body);
  expect(`raise: ${answer(res)}`).toBe('raise: 201');
  return res.body;
}

const evidence = (name: string, hex: string) => ({
  kind: 'photo' as const,
  uri: `https://evidence.example/${name}.jpg`,
  sha256: hex.repeat(64),
  capturedAt: '2026-11-23T08:00:00Z',
});
const step = (key: string, assignee: object, dependsOn: string[] = [], kind = 'inspection') => ({
  key,
  title: `步骤 ${key} / step ${key}`,
  kind,
  assignee,
  limit: { amount: 1, unit: 'working_day' },
  dependsOn,
});
const byEnforcement = { kind: 'department', departmentId: 'dept-enforcement' };
const byTownship = { kind: 'township', townshipId: 'tw-nanpuxi', module: 'enforcement' };

/** WJ-006 (lead enforcement, co-operating planning), reported, on site, resolved and accepted: evaluating. */
async function evaluatingCase(): Promise<string> {
  const { caseId } = await raise();
  for (const dept of [enforcement, planning]) await ok(dept, caseId, 'acknowledge');
  for (const dept of [enforcement, planning]) await ok(dept, caseId, 'on-site');
  await ok(enforcement, caseId, 'resolve', { summary: '已拆除 / demolished' });
  await ok(township, caseId, 'verify', { accept: true });
  await eventually(async () => expect((await read(caseId)).evaluation).toBeDefined());
  return caseId;
}

/**
 * Cases in the states the refusals below need, made once: every call made on them is refused,
 * which is exactly what the tests prove.
 */
const fixtures: Record<string, () => Promise<string>> = {
  open: async () => (await raise()).caseId,
  evaluating: evaluatingCase,
  declined: async () => {
    const { caseId } = await raise();
    await ok(planning, caseId, 'decline', { reason: '不属本部门职责 / not our duty' });
    return caseId;
  },
  suspensionRequested: async () => {
    const { caseId } = await raise();
    await ok(enforcement, caseId, 'suspend', { reason: '等待上级审批 / waiting for an approval' });
    return caseId;
  },
  acknowledged: async () => {
    const { caseId } = await raise();
    await ok(enforcement, caseId, 'acknowledge');
    return caseId;
  },
  /** a done (township), b open (enforcement), c waiting on b (township) */
  planned: async () => {
    const { caseId } = await raise();
    await ok(enforcement, caseId, 'acknowledge');
    await ok(enforcement, caseId, 'plan', {
      steps: [step('a', byTownship), step('b', byEnforcement, ['a']), step('c', byTownship, ['b'])],
    });
    await ok(township, caseId, 'steps/a/complete', { note: '已检查 / inspected' });
    return caseId;
  },
};
const made = new Map<string, Promise<string>>();
const fixture = (name: keyof typeof fixtures) => {
  if (!made.has(name)) made.set(name, fixtures[name]!());
  return made.get(name)!;
};

/** The call is refused with `status`, a problem naming `reason`, and the case and its history stay as they were. */
async function refusedWithoutChange(
  caseId: string,
  call: () => Promise<JsonResponse>,
  status: number,
  reason: RegExp,
): Promise<JsonResponse> {
  // a case just raised may not have its first event stored yet: wait for it, so nothing moves meanwhile
  await eventually(async () => expect((await history(caseId)).length).toBeGreaterThan(0));
  const [before, events] = [await read(caseId), (await history(caseId)).length];
  const res = await call();
  expect(answer(res)).toMatch(new RegExp(`^${status} `));
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.stringMatching(reason) });
  expect(await read(caseId)).toEqual(before);
  expect((await history(caseId)).length).toBe(events);
  return res;
}

describe('when an action comes in the wrong state', () => {
  const PLAN = { steps: [step('inspect', byEnforcement)] };
  it.each<[string, keyof typeof fixtures, Actor, string, unknown, RegExp]>([
    [
      'a decline on a case under evaluation',
      'evaluating',
      planning,
      'decline',
      { reason: 'late' },
      /declined while the case is worked/,
    ],
    [
      'a second decline while the first awaits a ruling',
      'declined',
      planning,
      'decline',
      { reason: 'again' },
      /awaits the supervisor's ruling/,
    ],
    [
      'an arbitration with no decline to rule on',
      'open',
      supervisor,
      'arbitration',
      { departmentId: 'dept-planning', decision: 'reject', note: 'no' },
      /no decline of dept-planning awaits a ruling/,
    ],
    [
      'a suspension on a case under evaluation',
      'evaluating',
      enforcement,
      'suspend',
      { reason: 'late' },
      /suspended while the case is worked/,
    ],
    [
      'a second request to suspend',
      'suspensionRequested',
      enforcement,
      'suspend',
      { reason: 'again' },
      /a suspension is requested since/,
    ],
    [
      'an approval with no request',
      'open',
      supervisor,
      'suspension/approve',
      { departmentId: 'dept-enforcement' },
      /no suspension of dept-enforcement awaits approval/,
    ],
    [
      'a resume with no suspension in force (department)',
      'suspensionRequested',
      enforcement,
      'resume',
      {},
      /no suspension of dept-enforcement is in force/,
    ],
    [
      'a resume with no suspension in force (supervisor)',
      'open',
      supervisor,
      'resume',
      { departmentId: 'dept-planning' },
      /no suspension of dept-planning is in force/,
    ],
    ['a plan before reporting for duty', 'open', enforcement, 'plan', PLAN, /report for duty before planning/],
    [
      'a plan on a case under evaluation',
      'evaluating',
      enforcement,
      'plan',
      PLAN,
      /a plan is made while the case is worked on/,
    ],
    [
      'a revision of the plan without a reason',
      'planned',
      enforcement,
      'plan',
      { steps: [step('a', byTownship), step('b', byEnforcement, ['a'])] },
      /a revision of the plan needs a reason/,
    ],
    [
      'completing a step the plan does not have',
      'planned',
      enforcement,
      'steps/zz/complete',
      { note: 'x' },
      /the plan has no step zz/,
    ],
    [
      'completing a step that waits on another',
      'planned',
      township,
      'steps/c/complete',
      { note: 'x' },
      /step c waits on b/,
    ],
    ['completing a step twice', 'planned', township, 'steps/a/complete', { note: 'again' }, /step a was completed at/],
    [
      'a withdrawal once the result is accepted',
      'evaluating',
      township,
      'withdraw',
      { reason: 'too late' },
      /only an open case is withdrawn/,
    ],
    [
      'a re-inspection of a case that is not closed',
      'open',
      township,
      'reinspection',
      { recurred: false, note: 'fine' },
      /no re-inspection is awaited/,
    ],
  ])('when %s then 409 names the reason and nothing changes', async (_what, state, actor, action, body, reason) => {
    const caseId = await fixture(state);
    await refusedWithoutChange(caseId, () => act(actor, caseId, action, body), 409, reason);
  });

  it('when a case under evaluation is merged, or an open case is merged into it, then 409 and nothing changes on either', async () => {
    const [evaluating, open] = [await fixture('evaluating'), await fixture('open')];
    await refusedWithoutChange(
      evaluating,
      () => act(dispatcher, evaluating, 'merge', { intoCaseId: open }),
      409,
      /only an open case is merged/,
    );
    await refusedWithoutChange(
      open,
      () => act(dispatcher, open, 'merge', { intoCaseId: evaluating }),
      409,
      /merge into an open case/,
    );
  });
});

describe('when a body is bad or the rules find the request invalid', () => {
  // a body the schema refuses is 400 with `errors` naming each field (as for every endpoint); 422 is
  // valid JSON that the case's rules refuse
  it.each<[string, string, Actor, string, unknown]>([
    ['decline', 'reason', planning, 'decline', {}],
    ['decline', '(body)', planning, 'decline', { reason: 'x', extra: true }],
    [
      'arbitration',
      'decision',
      supervisor,
      'arbitration',
      { departmentId: 'dept-planning', decision: 'maybe', note: 'x' },
    ],
    ['suspend', 'reason', enforcement, 'suspend', { reason: '  ' }],
    ['suspension/approve', 'departmentId', supervisor, 'suspension/approve', { approve: true }],
    ['resume', 'departmentId', supervisor, 'resume', { departmentId: 42 }],
    ['plan', 'steps', enforcement, 'plan', { steps: [] }],
    ['plan', 'steps.0.key', enforcement, 'plan', { steps: [step('Bad Key', byEnforcement)] }],
    [
      'plan',
      'steps.0.limit.amount',
      enforcement,
      'plan',
      { steps: [{ ...step('a', byEnforcement), limit: { amount: 0, unit: 'working_day' } }] },
    ],
    ['plan', 'steps.0.assignee.kind', enforcement, 'plan', { steps: [step('a', { kind: 'county', id: 'x' })] }],
    ['steps/:key/complete', 'note', township, 'steps/a/complete', {}],
    ['steps/:key/complete', 'key', township, 'steps/NOT_A_KEY/complete', { note: 'x' }],
    ['withdraw', 'reason', township, 'withdraw', {}],
    ['merge', 'intoCaseId', dispatcher, 'merge', {}],
    ['merge', 'intoCaseId', dispatcher, 'merge', { intoCaseId: { $ne: null } }],
    ['reinspection', 'recurred', township, 'reinspection', { note: 'x' }],
  ])('when %s gets a bad body then 400 names %s and nothing changes', async (_endpoint, field, actor, action, body) => {
    const caseId = await fixture('open');
    const res = await refusedWithoutChange(caseId, () => act(actor, caseId, action, body), 400, /./);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each<[string, keyof typeof fixtures, Actor, string, unknown, RegExp]>([
    [
      'an upheld decline reassigned to a department already on the case',
      'declined',
      supervisor,
      'arbitration',
      { departmentId: 'dept-planning', decision: 'uphold', note: 'x', reassignTo: 'dept-enforcement' },
      /dept-enforcement is already called on this case/,
    ],
    [
      'a decline that suggests the decliner itself',
      'open',
      planning,
      'decline',
      { reason: 'x', suggestedDepartmentId: 'dept-planning' },
      /suggest another department/,
    ],
    [
      'a plan whose steps wait on each other in a cycle',
      'acknowledged',
      enforcement,
      'plan',
      { steps: [step('a', byEnforcement, ['c']), step('b', byEnforcement, ['a']), step('c', byEnforcement, ['b'])] },
      /cycle: a → c → b → a/,
    ],
    [
      'a plan with an unknown dependency',
      'acknowledged',
      enforcement,
      'plan',
      { steps: [step('a', byEnforcement, ['ghost'])] },
      /step a depends on ghost, which the plan does not have/,
    ],
    [
      'a plan with a repeated step key',
      'acknowledged',
      enforcement,
      'plan',
      { steps: [step('a', byEnforcement), step('a', byTownship)] },
      /step keys must be unique: a/,
    ],
    [
      'a plan assigning a department not called',
      'acknowledged',
      enforcement,
      'plan',
      { steps: [step('a', { kind: 'department', departmentId: 'dept-ecology' })] },
      /department dept-ecology is not called on this case/,
    ],
    [
      'a plan assigning another township',
      'acknowledged',
      enforcement,
      'plan',
      { steps: [step('a', { kind: 'township', townshipId: 'tw-luoyang', module: 'enforcement' })] },
      /township tw-luoyang is not the case's township/,
    ],
  ])('when %s then 422 names the reason and nothing changes', async (_what, state, actor, action, body, reason) => {
    const caseId = await fixture(state);
    await refusedWithoutChange(caseId, () => act(actor, caseId, action, body), 422, reason);
  });

  it('when the dispatch desk merges a case into itself then 422 and nothing changes', async () => {
    const caseId = await fixture('open');
    await refusedWithoutChange(
      caseId,
      () => act(dispatcher, caseId, 'merge', { intoCaseId: caseId }),
      422,
      /cannot merge into itself/,
    );
  });

  it('when the dispatch desk merges into a case that does not exist then 422 names intoCaseId and nothing changes', async () => {
    const caseId = await fixture('open');
    const res = await refusedWithoutChange(
      caseId,
      () => act(dispatcher, caseId, 'merge', { intoCaseId: 'case-does-not-exist' }),
      422,
      /no case case-does-not-exist/,
    );
    expect(res.body.errors).toEqual([{ field: 'intoCaseId', reason: expect.any(String) }]);
  });

  it('when an action names an unknown case then 404', async () => {
    const res = await act(township, 'case-does-not-exist', 'withdraw', { reason: 'x' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('when the dispatch desk returns or re-routes a whistle before anyone acts', () => {
  it("then a whistle that is not the county's business is returned with the reason, and the township is told", async () => {
    const { caseId } = await raise(illegalConstruction({ matterCode: undefined }));
    expect((await act(township, caseId, 'return', { reason: 'mine' })).status).toBe(403);
    expect((await act(dispatcher, caseId, 'return', {})).status).toBe(400);
    const returned = await ok(dispatcher, caseId, 'return', { reason: '属村民自治事项 / a village matter' });
    expect(returned).toMatchObject({ status: 'returned', returned: { by: dispatcher.accountId } });
    expect((await act(dispatcher, caseId, 'classify', { matterCode: 'WJ-006' })).status).toBe(409);
    await eventually(async () =>
      expect((await history(caseId)).at(-1)).toMatchObject({
        type: 'case.returned',
        data: { reason: '属村民自治事项 / a village matter' },
      }),
    );
  });

  it('then a wrong routing is corrected on fresh clocks, the old duties released; once a party acted, 409 and nothing changes', async () => {
    const { caseId } = await raise();
    const rerouted = await ok(dispatcher, caseId, 'reroute', { matterCode: 'HB-006', reason: '属排污 / pollution' });
    expect(rerouted.routing.matter.code).toBe('HB-006');
    expect(rerouted.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual(['dept-ecology']);
    expect(rerouted.releasedDuties.map((d: { departmentId: string }) => d.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
    expect(rerouted.reroutes[0]).toMatchObject({ from: { matter: { code: 'WJ-006' } }, reason: '属排污 / pollution' });
    expect((await act(enforcement, caseId, 'acknowledge')).status).toBe(403);
    await ok(ecology, caseId, 'acknowledge');

    const before = { state: await read(caseId), events: (await history(caseId)).length };
    expect((await act(dispatcher, caseId, 'reroute', { matterCode: 'WJ-006', reason: 'back' })).status).toBe(409);
    expect((await act(dispatcher, caseId, 'return', { reason: 'not ours' })).status).toBe(409);
    expect((await act(dispatcher, caseId, 'reroute', { matterCode: 'XX-999', reason: 'unknown' })).status).toBe(422);
    expect({ state: await read(caseId), events: (await history(caseId)).length }).toEqual(before);
  });
});

describe('when the township that blew the whistle withdraws it', () => {
  it('then the case is withdrawn with the reason, audited, and a later report for duty is 409', async () => {
    const { caseId } = await raise();
    await ok(enforcement, caseId, 'acknowledge');
    expect((await act(otherTownship, caseId, 'withdraw', { reason: 'not mine' })).status).toBe(403);
    expect((await act(enforcement, caseId, 'withdraw', { reason: 'not ours' })).status).toBe(403);

    const withdrawn = await ok(township, caseId, 'withdraw', {
      reason: '村民已自行拆除 / the owner removed it himself',
    });
    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      withdrawal: { by: township.accountId, reason: expect.stringContaining('removed') },
    });
    expect(await read(caseId)).toMatchObject({ status: 'withdrawn' });

    const late = await act(planning, caseId, 'acknowledge');
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(late.body.detail).toEqual(expect.any(String));
    expect((await act(township, caseId, 'withdraw', { reason: 'again' })).status).toBe(409);

    const events = await history(caseId);
    expect(events.map((e) => e.type)).toEqual(['whistle.raised', 'duty.acknowledged', 'case.withdrawn']);
    expect(events[2]!.data).toMatchObject({ reason: expect.stringContaining('removed') });
  });
});

describe('when the dispatch desk merges a duplicate whistle', () => {
  // a grid of tw-nanpuxi (dev/demo-county/townships.json)
  const inGrid = (gridId: string, overrides: object = {}) =>
    illegalConstruction({ location: { townshipId: 'tw-nanpuxi', gridId, address: '南浦溪镇上村 3 号' }, ...overrides });

  it('then the duplicate is merged into the first, and the first takes its evidence in', async () => {
    const first = await raise(inGrid('tw-nanpuxi-g03'));
    const photo = evidence('shangcun-3-before', 'b');
    const duplicate = await raise(inGrid('tw-nanpuxi-g03', { evidence: [photo] }));
    expect((await act(township, duplicate.caseId, 'merge', { intoCaseId: first.caseId })).status).toBe(403);

    const merged = await ok(dispatcher, duplicate.caseId, 'merge', { intoCaseId: first.caseId });
    expect(merged).toMatchObject({ status: 'merged', mergedInto: { caseId: first.caseId, by: dispatcher.accountId } });
    expect(await read(duplicate.caseId)).toMatchObject({ status: 'merged', mergedInto: { caseId: first.caseId } });

    // the survivor learns of it by a signal from the duplicate's workflow
    const survivor = await eventually(async () => {
      const c = await read(first.caseId);
      expect(c.mergedFrom).toHaveLength(1);
      return c;
    });
    expect(survivor.status).toBe('reporting');
    expect(survivor.mergedFrom[0]).toMatchObject({
      caseId: duplicate.caseId,
      raisedBy: { accountId: township.accountId },
      evidence: [photo],
    });
    expect(survivor.evidence).toEqual([photo]);

    expect((await history(duplicate.caseId)).map((e) => e.type)).toEqual(['whistle.raised', 'case.merged']);
    const mergedIn = await eventually(async () => {
      const e = (await history(first.caseId)).find((x) => x.type === 'case.merged-in');
      expect(e).toBeDefined();
      return e!;
    });
    expect(mergedIn.data).toMatchObject({ duplicateCaseId: duplicate.caseId, evidence: [photo] });

    // once merged the duplicate takes no more actions, and nothing merges into it
    expect((await act(dispatcher, duplicate.caseId, 'merge', { intoCaseId: first.caseId })).status).toBe(409);
    const third = await raise(inGrid('tw-nanpuxi-g03'));
    await refusedWithoutChange(
      third.caseId,
      () => act(dispatcher, third.caseId, 'merge', { intoCaseId: duplicate.caseId }),
      409,
      /merge into an open case/,
    );
  });

  it('then a whistle in a different grid, or on a different matter, is not a duplicate: 409 and nothing changes', async () => {
    const first = await raise(inGrid('tw-nanpuxi-g05'));
    const elsewhere = await raise(inGrid('tw-nanpuxi-g06'));
    await refusedWithoutChange(
      elsewhere.caseId,
      () => act(dispatcher, elsewhere.caseId, 'merge', { intoCaseId: first.caseId }),
      409,
      /same grid: tw-nanpuxi-g06 ≠ tw-nanpuxi-g05/,
    );
    const otherMatter = await raise(inGrid('tw-nanpuxi-g05', { matterCode: 'WJ-007' }));
    await refusedWithoutChange(
      otherMatter.caseId,
      () => act(dispatcher, otherMatter.caseId, 'merge', { intoCaseId: first.caseId }),
      409,
      /same matter: WJ-007 ≠ WJ-006/,
    );
    expect((await read(first.caseId)).mergedFrom).toBeUndefined();
  });

  it('then two merges of one duplicate sent at once hand it to one case only: one 200, one 409', async () => {
    const [a, b, duplicate] = [
      await raise(inGrid('tw-nanpuxi-g08')),
      await raise(inGrid('tw-nanpuxi-g08')),
      await raise(inGrid('tw-nanpuxi-g08')),
    ];
    const answers = await Promise.all(
      [a, b].map((into) => act(dispatcher, duplicate.caseId, 'merge', { intoCaseId: into.caseId })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers[0]!.status === 200 ? a : b;
    const loser = winner === a ? b : a;
    await eventually(async () => expect((await read(winner.caseId)).mergedFrom).toHaveLength(1));
    expect((await read(loser.caseId)).mergedFrom).toBeUndefined();
    expect((await history(duplicate.caseId)).filter((e) => e.type === 'case.merged')).toHaveLength(1);
  });
});

describe('when a whistle is raised with evidence', () => {
  it('then the evidence is kept on the case and in the whistle.raised audit event', async () => {
    const fixed = [
      evidence('xiacun-12-shed', 'c'),
      { kind: 'signature' as const, uri: 'https://evidence.example/xiacun-12-sign.png', sha256: 'd'.repeat(64) },
    ];
    const raised = await raise(illegalConstruction({ evidence: fixed }));
    expect(raised.evidence).toEqual(fixed);
    expect((await read(raised.caseId, enforcement)).evidence).toEqual(fixed);
    const [first] = await history(raised.caseId);
    expect(first).toMatchObject({ seq: 1, type: 'whistle.raised', data: { raise: { evidence: fixed } } });
  });

  it('then evidence without a proper content hash is 400 naming the field, and no case starts', async () => {
    const res = await raiseAs(
      township,
      illegalConstruction({ evidence: [{ ...evidence('x', 'e'), sha256: 'not-a-hash' }] }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('evidence.0.sha256');
  });
});

describe('when a called department declines its duty', () => {
  it('then a second decline is 409, a department cannot arbitrate, and a rejection leaves the duty where it was', async () => {
    const { caseId } = await raise();
    const declined = await ok(planning, caseId, 'decline', {
      reason: '属住建部门职责 / a housing matter',
      suggestedDepartmentId: 'dept-housing',
    });
    expect(declined.duties[1]).toMatchObject({
      departmentId: 'dept-planning',
      dispute: {
        reason: expect.stringContaining('housing'),
        suggestedDepartmentId: 'dept-housing',
        declinedBy: planning.accountId,
        clock: { deadline: expect.any(String) },
      },
    });
    await refusedWithoutChange(
      caseId,
      () => act(planning, caseId, 'decline', { reason: 'again' }),
      409,
      /awaits the supervisor's ruling/,
    );
    await refusedWithoutChange(
      caseId,
      () =>
        act(enforcement, caseId, 'arbitration', { departmentId: 'dept-planning', decision: 'reject', note: 'yours' }),
      403,
      /role department may not/,
    );
    expect((await act(ecology, caseId, 'decline', { reason: 'not called' })).status).toBe(403);

    const ruled = await ok(supervisor, caseId, 'arbitration', {
      departmentId: 'dept-planning',
      decision: 'reject',
      note: '依清单属规划部门配合 / the list names planning',
    });
    expect(ruled.duties[1].dispute).toBeUndefined();
    expect(ruled.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
    expect(ruled.disputes).toHaveLength(1);
    expect(ruled.disputes[0]).toMatchObject({
      departmentId: 'dept-planning',
      ruling: { decision: 'reject', by: supervisor.accountId },
      clock: { metAt: expect.any(String) },
    });
    expect((await read(caseId)).disputes[0].ruling.decision).toBe('reject');
    expect((await history(caseId)).map((e) => e.type)).toEqual(['whistle.raised', 'duty.declined', 'dispute.ruled']);
  });

  it('then an upheld decline releases the decliner and calls the department ruled responsible on a fresh clock', async () => {
    const { caseId } = await raise();
    await ok(planning, caseId, 'decline', {
      reason: '属住建部门职责 / a housing matter',
      suggestedDepartmentId: 'dept-housing',
    });
    const ruled = await ok(supervisor, caseId, 'arbitration', {
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: '改派住建 / to housing',
      reassignTo: 'dept-housing',
    });
    expect(ruled.duties.map((d: { departmentId: string; role: string }) => `${d.departmentId}:${d.role}`)).toEqual([
      'dept-enforcement:lead',
      'dept-housing:cooperating',
    ]);
    expect(ruled.releasedDuties).toEqual([expect.objectContaining({ departmentId: 'dept-planning', excused: true })]);
    expect(ruled.disputes[0].ruling).toMatchObject({ decision: 'uphold', reassignTo: 'dept-housing' });
    expect((await ok(housing, caseId, 'acknowledge')).duties[1]).toMatchObject({
      departmentId: 'dept-housing',
      status: 'acknowledged',
    });
    expect((await act(planning, caseId, 'acknowledge')).status).toBe(403);
  });

  it('then a ruling or a plan naming a department that does not exist is 422 naming it, and nothing changes', async () => {
    const { caseId } = await raise();
    await ok(planning, caseId, 'decline', { reason: '不属本部门 / not ours' });
    const before = { state: await read(caseId), events: (await history(caseId)).length };
    const ruling = { departmentId: 'dept-planning', decision: 'uphold', note: 'to nobody' };
    const nobody = await act(supervisor, caseId, 'arbitration', { ...ruling, reassignTo: 'dept-nonexistent' });
    expect(nobody.status).toBe(422);
    expect(nobody.body.errors).toEqual([expect.objectContaining({ field: 'reassignTo' })]);
    const listChange = { matterCode: 'WJ-006', cooperatingDepartmentIds: ['dept-housing', 'dept-ghost'], note: 'fix' };
    const ghost = await act(supervisor, caseId, 'arbitration', { ...ruling, reassignTo: 'dept-housing', listChange });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors).toEqual([expect.objectContaining({ field: 'listChange.cooperatingDepartmentIds.1' })]);
    await ok(enforcement, caseId, 'acknowledge');
    const planned = await act(enforcement, caseId, 'plan', {
      steps: [step('look', { kind: 'department', departmentId: 'dept-nonexistent' })],
    });
    expect(planned.status).toBe(422);
    expect(planned.body.errors).toEqual([expect.objectContaining({ field: 'steps.0.assignee.departmentId' })]);
    const after = { state: await read(caseId), events: (await history(caseId)).length };
    expect({ ...after, state: { ...after.state, duties: after.state.duties.slice(1) } }).toEqual({
      events: before.events + 1, // the lead's report for duty, nothing else
      state: { ...before.state, duties: before.state.duties.slice(1), status: after.state.status },
    });
  });

  it('then a ruling that corrects the list lands in the administrator queue, who applies it as a new list version or rejects it', async () => {
    const base = harness.stack.baseUrl;
    const get = async (actor: Actor, path: string) => call(base, 'GET', path, { token: await as(actor) });
    const post = async (actor: Actor, path: string, body: unknown) =>
      call(base, 'POST', path, { token: await as(actor), body });
    const rule = async (listChange: object, from: Actor, to: string) => {
      const { caseId } = await raise();
      await ok(from, caseId, 'decline', { reason: '不属本部门 / not ours' });
      await ok(supervisor, caseId, 'arbitration', {
        departmentId: from.orgUnitId,
        decision: 'uphold',
        note: '改派 / reassigned',
        reassignTo: to,
        listChange,
      });
      return eventually(async () => {
        const queue = await get(admin, '/api/v1/matters/proposals?status=proposed');
        const found = queue.body.items.find((p: { caseId: string }) => p.caseId === caseId);
        expect(found).toMatchObject({
          status: 'proposed',
          departmentId: from.orgUnitId,
          proposedBy: supervisor.accountId,
        });
        return found as { id: string; caseId: string };
      });
    };
    const original = (await get(admin, '/api/v1/matters/WJ-006')).body;
    const keys = [
      'code',
      'name',
      'category',
      'leadDepartmentId',
      'cooperatingDepartmentIds',
      'townshipRole',
      'townshipTasks',
    ];
    const fields = Object.fromEntries(
      [...keys, 'legalBasis', 'slaProfile', 'reinspectionDays'].map((k) => [k, original[k]]),
    );
    // the other tests of this file route WJ-006 as the demo list has it
    const restore = async () =>
      call(base, 'PUT', '/api/v1/matters/WJ-006', {
        token: await as(admin),
        body: { matter: fields, reason: 'restore the demo list' },
      });
    try {
      const applied = await rule(
        { matterCode: 'WJ-006', cooperatingDepartmentIds: ['dept-housing'], note: '住建配合 / housing co-operates' },
        planning,
        'dept-housing',
      );
      const versionBefore = (await get(admin, '/api/v1/matters/WJ-006')).body.version;
      expect(
        (await post(township, `/api/v1/matters/proposals/${applied.id}/apply`, { reason: 'per ruling' })).status,
      ).toBe(403);
      const done = await post(admin, `/api/v1/matters/proposals/${applied.id}/apply`, {
        reason: '依裁决调整 / per the ruling',
      });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'applied',
        decidedBy: admin.accountId,
        listVersion: expect.any(Number),
      });
      const matter = (await get(admin, '/api/v1/matters/WJ-006')).body;
      expect(matter).toMatchObject({
        version: versionBefore + 1,
        cooperatingDepartmentIds: ['dept-housing'],
        changedBy: admin.accountId,
      });
      expect(matter.reason).toContain(applied.caseId);
      expect((await post(admin, `/api/v1/matters/proposals/${applied.id}/apply`, { reason: 'again' })).status).toBe(
        409,
      );

      // the list now calls housing to co-operate on WJ-006
      const rejected = await rule(
        { matterCode: 'WJ-006', leadDepartmentId: 'dept-housing', note: '住建牵头 / housing leads' },
        housing,
        'dept-planning',
      );
      const no = await post(admin, `/api/v1/matters/proposals/${rejected.id}/reject`, {
        reason: '牵头不变 / the lead stays',
      });
      expect(no.body).toMatchObject({ status: 'rejected', decisionReason: '牵头不变 / the lead stays' });
      expect((await get(admin, '/api/v1/matters/WJ-006')).body.version).toBe(versionBefore + 1);
      expect((await get(township, '/api/v1/matters/proposals')).status).toBe(403);
    } finally {
      expect((await restore()).status).toBe(200);
    }
  });

  it('then the released department reads what it was part of (the case, its history, its list) and acts no more', async () => {
    const { caseId } = await raise();
    await ok(planning, caseId, 'decline', { reason: '属住建部门职责 / a housing matter' });
    await ok(supervisor, caseId, 'arbitration', {
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: '改派住建 / to housing',
      reassignTo: 'dept-housing',
    });
    const token = await as(planning);
    const get = (path: string) => call(harness.stack.baseUrl, 'GET', `/api/v1/whistles${path}`, { token });
    expect((await get(`/${caseId}`)).status).toBe(200);
    expect((await get(`/${caseId}/history`)).status).toBe(200);
    expect((await get(`/${caseId}/history/verify`)).body).toMatchObject({ valid: true });
    await eventually(async () => {
      const listed = (await get('?pageSize=100')).body.items.map((c: { caseId: string }) => c.caseId);
      expect(listed).toContain(caseId);
    });

    const before = { state: await read(caseId), events: (await history(caseId)).length };
    for (const [action, body] of [
      ['progress', { note: '仍在跟进 / still on it' }],
      ['on-site', undefined],
      ['decline', { reason: 'again' }],
      ['suspend', { reason: 'waiting' }],
    ] as const) {
      expect(`${action}: ${(await act(planning, caseId, action, body)).status}`).toBe(`${action}: 403`);
    }
    expect({ state: await read(caseId), events: (await history(caseId)).length }).toEqual(before);
    // a department never part of the case reads nothing of it
    expect(
      (await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, { token: await as(ecology) })).status,
    ).toBe(403);
  });
});

describe('when a called department suspends its clocks', () => {
  it('then only its unmet clocks stop once the supervisor approves, and resuming moves them on by the paused time', async () => {
    const { caseId } = await raise();
    await ok(enforcement, caseId, 'acknowledge');
    expect((await act(planning, caseId, 'suspension/approve', { departmentId: 'dept-enforcement' })).status).toBe(403);

    const asked = await ok(enforcement, caseId, 'suspend', { reason: '等待国土审批 / waiting for the land approval' });
    expect(asked.duties[0].suspension).toMatchObject({ status: 'requested', requestedBy: enforcement.accountId });
    expect(asked.duties[0].clocks.onSite.pausedAt).toBeUndefined();

    const approved = await ok(supervisor, caseId, 'suspension/approve', {
      departmentId: 'dept-enforcement',
      note: '同意 / approved',
    });
    const [lead, other] = approved.duties;
    expect(lead.suspension).toMatchObject({ status: 'approved', decidedBy: supervisor.accountId });
    expect(lead.clocks.acknowledge.metAt).toEqual(expect.any(String));
    expect(lead.clocks.acknowledge.pausedAt).toBeUndefined();
    expect(lead.clocks.onSite.pausedAt).toEqual(expect.any(String));
    expect(lead.clocks.resolve.pausedAt).toEqual(expect.any(String));
    for (const clock of Object.values<{ pausedAt?: string }>(other.clocks)) expect(clock.pausedAt).toBeUndefined();

    await new Promise((r) => setTimeout(r, 50));
    const resumed = await ok(enforcement, caseId, 'resume', {});
    const after = resumed.duties[0];
    expect(after.suspension).toBeUndefined();
    expect(after.suspensions).toEqual([expect.objectContaining({ status: 'ended', resumedBy: enforcement.accountId })]);
    for (const name of ['onSite', 'resolve']) {
      expect(after.clocks[name].pausedAt).toBeUndefined();
      expect(after.clocks[name].pausedMs).toBeGreaterThan(0);
      expect(Date.parse(after.clocks[name].deadline)).toBeGreaterThanOrEqual(Date.parse(lead.clocks[name].deadline));
    }
    expect(resumed.duties[1].clocks).toEqual(other.clocks);
    expect((await history(caseId)).map((e) => e.type)).toEqual([
      'whistle.raised',
      'duty.acknowledged',
      'duty.suspension-requested',
      'duty.suspension-decided',
      'duty.resumed',
    ]);
  });

  it('then a refused suspension closes the request and no clock ever stopped', async () => {
    const { caseId } = await raise();
    await ok(planning, caseId, 'suspend', { reason: 'waiting' });
    const refused = await ok(supervisor, caseId, 'suspension/approve', {
      departmentId: 'dept-planning',
      approve: false,
      note: '理由不足 / not a reason',
    });
    expect(refused.duties[1].suspension).toBeUndefined();
    expect(refused.duties[1].suspensions).toEqual([expect.objectContaining({ status: 'refused' })]);
    for (const clock of Object.values<{ pausedAt?: string }>(refused.duties[1].clocks))
      expect(clock.pausedAt).toBeUndefined();
    expect((await act(supervisor, caseId, 'resume', { departmentId: 'dept-planning' })).status).toBe(409);
  });
});

describe('when the lead department plans joint enforcement (联合执法)', () => {
  it('then only the lead plans, after reporting for duty; each step is completed by its assignee once its dependencies are done', async () => {
    const { caseId } = await raise();
    const plan = {
      steps: [step('inspect', byEnforcement), step('notice', byTownship, ['inspect'], 'rectification_notice')],
    };
    expect((await act(enforcement, caseId, 'plan', plan)).status).toBe(409);
    await ok(enforcement, caseId, 'acknowledge');
    await ok(planning, caseId, 'acknowledge');
    await refusedWithoutChange(
      caseId,
      () => act(planning, caseId, 'plan', plan),
      403,
      /only the lead department plans/,
    );

    const planned = await ok(enforcement, caseId, 'plan', plan);
    expect(planned.plan).toMatchObject({ revision: 1, plannedBy: enforcement.accountId });
    expect(planned.plan.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'inspect:open',
      'notice:waiting',
    ]);
    expect(planned.plan.steps[0].clock.deadline).toEqual(expect.any(String));
    expect(planned.plan.steps[1].clock).toBeUndefined();

    await refusedWithoutChange(
      caseId,
      () => act(planning, caseId, 'steps/inspect/complete', { note: 'not mine' }),
      403,
      /only the assignee completes step inspect/,
    );
    await refusedWithoutChange(
      caseId,
      () => act(township, caseId, 'steps/notice/complete', { note: 'too early' }),
      409,
      /step notice waits on inspect/,
    );

    const inspected = await ok(enforcement, caseId, 'steps/inspect/complete', {
      note: '现场检查完毕 / inspected',
      evidence: [evidence('inspect', '1')],
    });
    expect(inspected.plan.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'inspect:done',
      'notice:open',
    ]);
    expect(inspected.plan.steps[0]).toMatchObject({
      completedBy: enforcement.accountId,
      clock: { metAt: expect.any(String) },
    });
    const noticed = await ok(township, caseId, 'steps/notice/complete', { note: '已送达整改通知 / notice served' });
    expect(noticed.plan.steps.every((s: { status: string }) => s.status === 'done')).toBe(true);

    const revised = await ok(enforcement, caseId, 'plan', {
      ...plan,
      steps: [...plan.steps, step('recheck', byEnforcement, ['notice'], 're_inspection')],
      reason: '增加复查 / add a re-check',
    });
    expect(revised.plan).toMatchObject({ revision: 2, reasons: [{ reason: expect.stringContaining('re-check') }] });
    expect(revised.plan.steps.map((s: { key: string; status: string }) => `${s.key}:${s.status}`)).toEqual([
      'inspect:done',
      'notice:done',
      'recheck:open',
    ]);
    expect((await history(caseId)).map((e) => e.type)).toEqual([
      'whistle.raised',
      'duty.acknowledged',
      'duty.acknowledged',
      'plan.made',
      'step.completed',
      'step.completed',
      'plan.made',
    ]);
  });
});
