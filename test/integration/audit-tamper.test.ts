/**
 * Tamper evidence against a database writer, on the real Temporal dev server and a real FerretDB:
 * the audit events of real cases are deleted, inserted, reordered, or edited and rehashed by someone
 * who knows the algorithm, through the Mongo wire; verification names the first bad sequence number
 * from the case workflow's own record. The daily anchor runs on its Temporal Schedule, and
 * GET /api/v1/audit/verify streams every case's verdict and the anchor's.
 */
import { ensureAnchorSchedule } from '../../api/audit/anchor-schedule';
import type { CaseEvent } from '../../domain/case-event';
import { chain, GENESIS_HASH, type ChainedEvent } from '../../store/audit-chain';
import { eventually } from '../support/eventually';
import {
  admin,
  dispatcher,
  enforcement,
  illegalConstruction,
  planning,
  supervisor,
  township,
} from '../support/fixtures';
import { call } from '../support/http';
import { useHarness } from '../support/harness';
import type { Stack } from '../support/stack';

const harness = useHarness('dev-server');

const as = async (actor: Parameters<Stack['token']>[0]) => harness.stack.token(actor);
const events = () => harness.db.connection.collection<ChainedEvent & { _id: string }>('audit_events');
const post = async (path: string, actor: Parameters<Stack['token']>[0], body?: unknown) =>
  call(harness.stack.baseUrl, 'POST', `/api/v1/whistles${path}`, { token: await as(actor), body });
const verify = async (caseId: string) =>
  (
    await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history/verify`, {
      token: await as(supervisor),
    })
  ).body;

/** A case with six recorded events: raised, two reports for duty, two arrivals, a progress note. */
async function caseWithSixEvents(): Promise<string> {
  const raised = await post('', township, illegalConstruction());
  expect(raised.status).toBe(201);
  const caseId = raised.body.caseId as string;
  for (const [action, actor] of [
    ['acknowledge', enforcement],
    ['acknowledge', planning],
    ['on-site', enforcement],
    ['on-site', planning],
  ] as const)
    expect((await post(`/${caseId}/${action}`, actor)).status).toBe(200);
  expect((await post(`/${caseId}/progress`, township, { note: '现场已固定证据' })).status).toBe(200);
  await eventually(async () => expect(await verify(caseId)).toMatchObject({ valid: true, events: 6, recordedSeq: 6 }));
  return caseId;
}

const stored = async (caseId: string) => (await events().find({ caseId }).toArray()).sort((a, b) => a.seq - b.seq);

/** What a writer who knows the algorithm does: change event `seq`, then rehash it and every later event. */
async function editAndRehash(caseId: string, seq: number): Promise<void> {
  let prev = GENESIS_HASH;
  for (const e of await stored(caseId)) {
    const { _id, prevHash: _p, hash: _h, ...event } = e;
    const content: CaseEvent = e.seq === seq ? { ...event, data: { ...event.data, note: '改写 / rewritten' } } : event;
    const linked = chain(content, prev);
    if (e.seq >= seq) await events().replaceOne({ _id }, linked);
    prev = linked.hash;
  }
}

const tamperings: [string, (caseId: string) => Promise<void>, number][] = [
  ['one event in the middle is deleted', async (id) => void (await events().deleteOne({ _id: `${id}:3` })), 3],
  ['the tail is deleted', async (id) => void (await events().deleteMany({ _id: { $in: [`${id}:5`, `${id}:6`] } })), 5],
  ['every event of the case is deleted', async (id) => void (await events().deleteMany({ caseId: id })), 1],
  [
    'an extra event is inserted, well chained',
    async (id) => {
      const { _id, prevHash: _p, hash, ...last } = (await stored(id)).at(-1)!;
      const forged = chain({ ...last, seq: 7, type: 'case.closed', data: {} }, hash);
      await events().insertOne({ _id: `${id}:7`, ...forged });
    },
    7,
  ],
  [
    "two events' sequence numbers are swapped",
    async (id) => {
      await events().updateOne({ _id: `${id}:2` }, { $set: { seq: 3 } });
      await events().updateOne({ _id: `${id}:3` }, { $set: { seq: 2 } });
    },
    2,
  ],
  [
    'an event is edited without rehashing',
    async (id) => void (await events().updateOne({ _id: `${id}:4` }, { $set: { 'data.note': 'x' } })),
    4,
  ],
  ['an event is edited and it and every later hash recomputed', (id) => editAndRehash(id, 3), 3],
];

describe('when a database writer tampers with a case’s audit events', () => {
  it.each(tamperings)('then, when %s, verify names the first bad seq', async (_what, tamper, firstBad) => {
    const caseId = await caseWithSixEvents();
    await tamper(caseId);
    const verdict = await verify(caseId);
    expect(verdict).toMatchObject({ valid: false, brokenAt: firstBad, recordedSeq: 6, witnessed: true });
    // the history shows what is stored, past any gap, never stopping at one
    const history = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history`, {
      token: await as(supervisor),
    });
    expect(history.body.events).toHaveLength((await stored(caseId)).length);
  });

  it('then an ended case is checked against what its history holds, and a rehash is caught there too', async () => {
    const raised = await post('', township, illegalConstruction());
    const caseId = raised.body.caseId as string;
    expect((await post(`/${caseId}/acknowledge`, enforcement)).status).toBe(200);
    expect((await post(`/${caseId}/withdraw`, township, { reason: '误报 / raised by mistake' })).status).toBe(200);
    await eventually(async () => {
      const { status } = await harness.env.client.workflow.getHandle(caseId).describe();
      expect(status.name).toBe('COMPLETED');
    });
    expect(await verify(caseId)).toMatchObject({ valid: true, events: 3, recordedSeq: 3, witnessed: true });
    await editAndRehash(caseId, 2);
    expect(await verify(caseId)).toMatchObject({ valid: false, brokenAt: 2 });
  });
});

/** The NDJSON lines of GET /api/v1/audit/verify. */
async function auditVerify(): Promise<{ status: number; type: string | null; lines: any[] }> {
  const res = await fetch(`${harness.stack.baseUrl}/api/v1/audit/verify`, {
    headers: { authorization: `Bearer ${await as(supervisor)}` },
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    lines: text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

describe('when a supervisor checks every case at once, and the daily anchor has run', () => {
  it('then each case has its verdict line, and the anchor catches a head rewritten after it', async () => {
    const intact = await caseWithSixEvents();
    const rewritten = await caseWithSixEvents();

    // the schedule, created twice (idempotent), triggered now rather than at 03:00
    await ensureAnchorSchedule(harness.env.client, harness.stack.taskQueue, 'audit-anchor-test');
    const schedule = await ensureAnchorSchedule(harness.env.client, harness.stack.taskQueue, 'audit-anchor-test');
    await schedule.trigger();
    const before = await eventually(async () => {
      const run = await auditVerify();
      const anchor = run.lines.find((l) => l.kind === 'anchor');
      expect(anchor).toMatchObject({ found: true, valid: true });
      expect(anchor.cases).toBeGreaterThanOrEqual(2);
      return run;
    }, 60_000);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^application\/x-ndjson/);
    expect(before.lines[0]).toMatchObject({ kind: 'start' });
    expect(before.lines.at(-1)).toMatchObject({ kind: 'summary', anchorValid: true });
    for (const caseId of [intact, rewritten])
      expect(before.lines.find((l) => l.caseId === caseId)).toMatchObject({ kind: 'case', valid: true, events: 6 });

    await editAndRehash(rewritten, 4);
    const after = await auditVerify();
    expect(after.lines.find((l) => l.caseId === intact)).toMatchObject({ valid: true });
    expect(after.lines.find((l) => l.caseId === rewritten)).toMatchObject({ valid: false, brokenAt: 4 });
    const anchor = after.lines.find((l) => l.kind === 'anchor');
    expect(anchor).toMatchObject({ valid: false, mismatches: [{ caseId: rewritten, seq: 6 }] });
    expect(after.lines.at(-1)).toMatchObject({ kind: 'summary', anchorValid: false });
    expect(after.lines.at(-1).invalid).toBeGreaterThanOrEqual(1);

    // the leaves kept in the database cannot be rewritten to match: the root lives in Temporal's history
    await harness.db.connection.collection('audit_anchors').updateMany({}, { $set: { leaves: [] } });
    expect((await auditVerify()).lines.find((l) => l.kind === 'anchor')).toMatchObject({
      valid: false,
      reason: 'the leaves in the database do not give the anchored root',
    });
  });

  it('then anyone but a supervisor is refused, and no token is 401', async () => {
    for (const actor of [township, enforcement, dispatcher, admin]) {
      const res = await call(harness.stack.baseUrl, 'GET', '/api/v1/audit/verify', { token: await as(actor) });
      expect(res.status).toBe(403);
    }
    expect((await call(harness.stack.baseUrl, 'GET', '/api/v1/audit/verify')).status).toBe(401);
  });
});
