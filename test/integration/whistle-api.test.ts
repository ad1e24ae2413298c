/** The thin slice through real servers: HTTP → Temporal dev server → worker → FerretDB. */
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { firstBrokenLink } from '../../store/audit-chain';
import { caseProjectionModel } from '../../store/case-projections';
import {
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
import { call } from '../support/http';
import type { Stack } from '../support/stack';
import { useHarness } from '../support/harness';

const harness = useHarness('dev-server');

const as = async (actor: Parameters<Stack['token']>[0]) => harness.stack.token(actor);
const countCases = () => caseProjectionModel(harness.db.connection).countDocuments();

async function raise(body = illegalConstruction()) {
  const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token: await as(township), body });
  expect(res.status).toBe(201);
  return res.body as { caseId: string };
}

describe('when a township blows the whistle', () => {
  it('then the case starts, each department is called with its own clock, and the raise is audited', async () => {
    const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: illegalConstruction(),
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/whistles/${res.body.caseId}`);
    expect(res.body.status).toBe('reporting');
    expect(res.body.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
    expect(res.body.duties.map((d: { role: string }) => d.role)).toEqual(['lead', 'cooperating']);
    expect(res.body.routing).toMatchObject({
      matter: { code: 'WJ-006', leadDepartmentId: 'dept-enforcement' },
      slaProfile: 'normal',
    });
    expect(res.body.routing.listVersion).toBeGreaterThanOrEqual(1);

    const read = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${res.body.caseId}`, {
      token: await as(enforcement),
    });
    expect(read.status).toBe(200);
    // the read adds each clock as it stands now (time left, nothing paused), and what the reader may do
    const { clocksNow, allowedActions, ...state } = read.body;
    expect(state).toEqual(res.body);
    // the lead, called and silent: report for duty, decline, ask for a suspension, add progress
    expect(allowedActions.map((a: { action: string }) => a.action)).toEqual([
      'acknowledge',
      'progress',
      'decline',
      'suspend',
    ]);
    expect(clocksNow.map((k: { clock: string }) => k.clock)).toEqual([
      'duty:dept-enforcement:acknowledge',
      'duty:dept-enforcement:onSite',
      'duty:dept-enforcement:resolve',
      'duty:dept-planning:acknowledge',
      'duty:dept-planning:onSite',
    ]);
    expect(
      clocksNow.every(
        (k: { state: string; remainingMs?: number; pausedMs: number }) =>
          k.state === 'running' && k.remainingMs! > 0 && k.pausedMs === 0,
      ),
    ).toBe(true);
  });

  it('then a called department reports for duty, the case moves on once all have, and the chain verifies', async () => {
    const { caseId } = await raise();

    const first = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/acknowledge`, {
      token: await as(enforcement),
    });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('reporting');
    expect(first.body.duties[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: enforcement.accountId });

    const second = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/acknowledge`, {
      token: await as(planning),
    });
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('in_progress');

    // the answer to an action comes once its event is stored
    const history = await caseHistory(auditEventModel(harness.db.connection), caseId);
    expect(history.map((e) => e.type)).toEqual(['whistle.raised', 'duty.acknowledged', 'duty.acknowledged']);
    expect(firstBrokenLink(history)).toBeUndefined();
    const projection = await caseProjectionModel(harness.db.connection).findById(caseId).lean();
    expect(projection).toMatchObject({ status: 'in_progress', lastSeq: 3, overdue: false });
  });
});

describe('when input is bad', () => {
  it.each([
    ['title', { title: '' }],
    ['urgency', { urgency: 'whenever' }],
    ['location.address', { location: { townshipId: 'tw-nanpuxi' } }],
    ['departmentIds', { departmentIds: [] }],
    ['matterCode', { matterCode: 'not a code!' }],
    ['(body)', { sneaky: true }],
  ])('then a 400 names %s and nothing is created', async (field, patch) => {
    const before = await countCases();
    const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: { ...illegalConstruction(), ...patch },
    });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await countCases()).toBe(before);
  });

  it('then malformed JSON is a 400 and a non-JSON body a 415', async () => {
    const token = await as(township);
    const malformed = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token, body: '{"title": ' });
    expect(malformed.status).toBe(400);
    const text = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token,
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('then an operator smuggled into an id is refused by the schema', async () => {
    const res = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: illegalConstruction({ departmentIds: [{ $ne: null } as unknown as string] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('departmentIds.0');
  });
});

describe('when the caller may not act', () => {
  it('then no token is 401 and a bad signature is 401', async () => {
    expect(
      (await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { body: illegalConstruction() })).status,
    ).toBe(401);
    // flip a character in the middle of the signature (the last one may only carry padding bits)
    const token = await as(township);
    const at = token.length - 10;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect((await call(harness.stack.baseUrl, 'GET', '/api/v1/whistles/case-x', { token: forged })).status).toBe(401);
  });

  it('then a department may not raise, and a township may not raise for another township', async () => {
    expect(
      (
        await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
          token: await as(enforcement),
          body: illegalConstruction(),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
          token: await as(otherTownship),
          body: illegalConstruction(),
        })
      ).status,
    ).toBe(403);
  });

  it('then a department that is not called gets 403, a second acknowledgement 409, and neither changes the case', async () => {
    const { caseId } = await raise();
    const url = `/api/v1/whistles/${caseId}/acknowledge`;
    expect((await call(harness.stack.baseUrl, 'POST', url, { token: await as(ecology) })).status).toBe(403);
    expect((await call(harness.stack.baseUrl, 'POST', url, { token: await as(enforcement) })).status).toBe(200);
    const again = await call(harness.stack.baseUrl, 'POST', url, { token: await as(enforcement) });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already reported/);

    const state = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, {
      token: await as(supervisor),
    });
    expect(state.body.duties.filter((d: { status: string }) => d.status === 'acknowledged')).toHaveLength(1);
    expect(
      (await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, { token: await as(otherTownship) }))
        .status,
    ).toBe(403);
    expect(
      (await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, { token: await as(ecology) })).status,
    ).toBe(403);
  });

  it('then an unknown case is 404', async () => {
    const res = await call(harness.stack.baseUrl, 'GET', '/api/v1/whistles/case-does-not-exist', {
      token: await as(supervisor),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('when a township retries a whistle with an Idempotency-Key', () => {
  it('then the same body returns the original case and starts no second workflow; another body is 422', async () => {
    const key = `retry-${Date.now()}`;
    const headers = { 'idempotency-key': key };
    const first = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: illegalConstruction(),
      headers,
    });
    expect(first.status).toBe(201);
    const again = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: illegalConstruction(),
      headers,
    });
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(first.body.caseId);
    expect(again.body.raisedAt).toBe(first.body.raisedAt);

    const other = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await as(township),
      body: illegalConstruction({ title: 'another' }),
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].field).toBe('Idempotency-Key');

    const runs = harness.env.client.workflow.list({ query: `WorkflowId = '${first.body.caseId}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
  });
});

describe('when someone reads a case history', () => {
  it('then the timeline comes in order, the chain verifies, and a tampered event is named', async () => {
    const { caseId } = await raise();
    const token = await as(enforcement);
    await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/acknowledge`, { token });

    const history = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history`, { token });
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { seq: number; type: string }) => `${e.seq}:${e.type}`)).toEqual([
      '1:whistle.raised',
      '2:duty.acknowledged',
    ]);
    expect(
      (await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history/verify`, { token })).body,
    ).toEqual({ valid: true, events: 2, recordedSeq: 2, witnessed: true });
    expect(
      (await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history`, { token: await as(ecology) }))
        .status,
    ).toBe(403);

    // someone with database access rewrites who reported for duty
    await auditEventModel(harness.db.connection).updateOne(
      { _id: `${caseId}:2` },
      { $set: { 'actor.accountId': 'acc-someone-else' } },
    );
    const verdict = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history/verify`, { token });
    expect(verdict.body).toEqual({
      valid: false,
      events: 2,
      brokenAt: 2,
      reason: 'content does not match its hash',
      recordedSeq: 2,
      witnessed: true,
    });
  });
});

describe('when someone lists cases', () => {
  it('then filters apply, pages are bounded, and each caller sees only its scope', async () => {
    const mine = await raise(illegalConstruction({ urgency: 'urgent' }));
    const list = async (actor: Parameters<Stack['token']>[0], query: string) =>
      eventually(async () => {
        const res = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles?${query}`, { token: await as(actor) });
        expect(res.status).toBe(200);
        return res.body as { items: { caseId: string; townshipId: string }[]; total: number; pageSize: number };
      });

    const urgent = await eventually(async () => {
      const page = await list(township, 'urgency=urgent&status=reporting');
      expect(page.items.map((i) => i.caseId)).toContain(mine.caseId);
      return page;
    });
    expect(urgent.items.every((i) => i.townshipId === 'tw-nanpuxi')).toBe(true);
    expect((await list(otherTownship, 'urgency=urgent')).items.map((i) => i.caseId)).not.toContain(mine.caseId);
    expect((await list(otherTownship, 'townshipId=tw-nanpuxi')).total).toBe(0);
    expect((await list(ecology, '')).items.map((i) => i.caseId)).not.toContain(mine.caseId);
    expect((await list(enforcement, 'matterCode=WJ-006')).items.map((i) => i.caseId)).toContain(mine.caseId);
    const paged = await list(supervisor, 'pageSize=1&page=1');
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBeGreaterThan(1);
    expect(
      (await call(harness.stack.baseUrl, 'GET', '/api/v1/whistles?pageSize=1000', { token: await as(supervisor) }))
        .status,
    ).toBe(400);
    expect(
      (await call(harness.stack.baseUrl, 'GET', '/api/v1/whistles?status[$ne]=closed', { token: await as(supervisor) }))
        .status,
    ).toBe(400);
  });
});

describe('when the lead department reports the result and the township verifies it', () => {
  const evidence = [
    {
      kind: 'photo',
      uri: 'https://evidence.example/xiacun-12-after.jpg',
      sha256: 'a'.repeat(64),
      capturedAt: '2026-11-23T08:00:00Z',
    },
  ];
  const act = async (actor: Parameters<Stack['token']>[0], caseId: string, what: string, body?: unknown) =>
    call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/${what}`, { token: await as(actor), body });

  it('then only the lead may report it, a send-back needs a reason, a second send-back escalates, and after acceptance both sides rate and the case closes', async () => {
    const { caseId } = await raise();
    for (const dept of [enforcement, planning]) {
      expect((await act(dept, caseId, 'acknowledge')).status).toBe(200);
    }
    expect((await act(enforcement, caseId, 'resolve', { summary: 'too early' })).status).toBe(409); // not on site yet
    for (const dept of [enforcement, planning]) expect((await act(dept, caseId, 'on-site')).status).toBe(200);

    const note = await act(township, caseId, 'progress', {
      note: '现场已拍照固定证据 / evidence fixed on site',
      evidence,
    });
    expect(note.status).toBe(200);
    expect(note.body.progress[0]).toMatchObject({ note: expect.stringContaining('evidence'), evidence });
    expect((await act(ecology, caseId, 'progress', { note: 'not mine' })).status).toBe(403);
    expect(
      (await act(township, caseId, 'progress', { note: 'x', evidence: [{ ...evidence[0], sha256: 'nothex' }] })).status,
    ).toBe(400);

    expect((await act(planning, caseId, 'resolve', { summary: 'done' })).status).toBe(403);
    const resolved = await act(enforcement, caseId, 'resolve', {
      summary: '已责令拆除，现场恢复 / demolished, site restored',
      evidence,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'awaiting_verification',
      resolution: { summary: expect.any(String), verifyBy: expect.any(String) },
    });

    const noReason = await act(township, caseId, 'verify', { accept: false });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    expect((await act(otherTownship, caseId, 'verify', { accept: true })).status).toBe(403);

    const back = await act(township, caseId, 'verify', {
      accept: false,
      reason: '地基未清除 / the foundation is still there',
    });
    expect(back.body.status).toBe('in_progress');
    expect(back.body.resolution).toBeUndefined();
    await act(enforcement, caseId, 'resolve', { summary: 'foundation removed' });
    await act(township, caseId, 'verify', { accept: false, reason: 'rubble left' });
    await act(enforcement, caseId, 'resolve', { summary: 'rubble cleared' });
    const accepted = await act(township, caseId, 'verify', { accept: true });
    expect(accepted.body.status).toBe('evaluating');
    expect((await act(township, caseId, 'verify', { accept: true })).status).toBe(409);

    // evaluation both ways, then closed
    const rating = (departmentId: string) => ({ departmentId, speed: 4, attitude: 5, result: 4 });
    expect((await act(township, caseId, 'evaluate', { ratings: [rating('dept-enforcement')] })).status).toBe(409); // planning not rated
    expect(
      (await act(township, caseId, 'evaluate', { ratings: [rating('dept-enforcement')], cooperation: 3 })).status,
    ).toBe(400);
    expect((await act(ecology, caseId, 'evaluate', { cooperation: 5 })).status).toBe(403);
    expect(
      (await act(township, caseId, 'evaluate', { ratings: [rating('dept-enforcement'), rating('dept-planning')] }))
        .status,
    ).toBe(200);
    expect(
      (await act(township, caseId, 'evaluate', { ratings: [rating('dept-enforcement'), rating('dept-planning')] }))
        .status,
    ).toBe(409);
    expect((await act(enforcement, caseId, 'evaluate', { cooperation: 5, comment: '配合积极' })).body.status).toBe(
      'evaluating',
    );
    const closed = await act(planning, caseId, 'evaluate', { cooperation: 4 });
    expect(closed.body).toMatchObject({
      status: 'closed',
      evaluation: { closedBySilence: false, byDepartments: [{ cooperation: 5 }, { cooperation: 4 }] },
    });

    // WJ-006 calls for re-inspection after 30 days: the closed case waits for it (recorded as armed)
    const final = closed.body;
    expect(final.verifications.map((v: { accepted: boolean }) => v.accepted)).toEqual([false, false, true]);
    const history = await eventually(async () => {
      const events = await caseHistory(auditEventModel(harness.db.connection), caseId);
      expect(events.at(-1)?.type).toBe('reinspection.armed');
      return events;
    });
    const escalation = history.find((e) => e.type === 'case.escalated');
    expect(escalation?.data).toMatchObject({
      rule: 'verification.rejected-twice',
      rejections: 2,
      level: 'county_supervision',
    });
    expect(history.filter((e) => e.type === 'case.escalated')).toHaveLength(1);
    expect(history.at(-2)).toMatchObject({ type: 'case.closed', data: { everyoneRated: true } });
    expect(history.at(-1)?.data).toMatchObject({ days: 30, rule: 'matter.WJ-006.reinspection' });
    expect(firstBrokenLink(history)).toBeUndefined();
  });
});

describe('when whistles are raised one after another', () => {
  it('then each case gets a number people can read, county-year-sequence, kept by the case', async () => {
    const first = await raise();
    const second = await raise();
    const numbers = [first, second].map((c) => (c as unknown as { caseNumber: string }).caseNumber);
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    for (const n of numbers) expect(n).toMatch(new RegExp(`^XILAN-${year}-\\d{6}$`));
    expect(Number(numbers[1]!.slice(-6))).toBe(Number(numbers[0]!.slice(-6)) + 1);
    const read = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${first.caseId}`, {
      token: await as(supervisor),
    });
    expect(read.body.caseNumber).toBe(numbers[0]);
  });
});

describe('when a whistle names no matter and the dispatch desk routes it', () => {
  it('then only a dispatcher classifies it, by the list, once; then the departments are called', async () => {
    const { caseId } = await raise(illegalConstruction({ matterCode: undefined }));
    const classify = async (actor: Parameters<Stack['token']>[0], body: unknown) =>
      call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/classify`, { token: await as(actor), body });

    expect((await classify(township, { matterCode: 'WJ-006' })).status).toBe(403);
    expect((await classify(supervisor, { matterCode: 'WJ-006' })).status).toBe(403);
    expect((await classify(dispatcher, { matterCode: 'ZZ-404' })).status).toBe(422);
    expect((await classify(dispatcher, { matterCode: 'WJ-006', departmentIds: ['dept-police'] })).status).toBe(422);

    const routed = await classify(dispatcher, { matterCode: 'WJ-006' });
    expect(routed.status).toBe(200);
    expect(routed.body).toMatchObject({
      status: 'reporting',
      routing: { matter: { code: 'WJ-006' } },
      dispatch: { classifiedBy: dispatcher.accountId, clock: { metAt: expect.any(String) } },
    });
    expect(routed.body.duties.map((d: { departmentId: string }) => d.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
    expect((await classify(dispatcher, { matterCode: 'WJ-001' })).status).toBe(409);

    const reported = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/acknowledge`, {
      token: await as(enforcement),
    });
    expect(reported.status).toBe(200);
    const history = await caseHistory(auditEventModel(harness.db.connection), caseId);
    expect(history.map((e) => e.type)).toEqual(['whistle.raised', 'case.classified', 'duty.acknowledged']);
  });
});
