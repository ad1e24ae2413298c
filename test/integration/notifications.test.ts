/**
 * Notifications against the real FerretDB and a real HTTP receiver: the outbox is written with the
 * audit record, each receiver gets each event once, signed; a failing receiver makes the activity
 * throw (Temporal retries it) and only what failed is sent again; no webhook → the log channel.
 * The activities are called directly: no Temporal server is needed here.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { listProposalModel } from '../../store/list-proposals';
import { journalActivities } from '../../activities/journal';
import { caseFactsModel } from '../../store/case-facts';
import { overdueFeedModel } from '../../store/overdue-feed';
import { notifier, notifyActivities } from '../../activities/notify';
import { SYSTEM, type CaseEvent } from '../../domain/case-event';
import { Department, Township } from '../../domain/organisation/schemas';
import { openCase } from '../../domain/whistle';
import { createLogger } from '../../platform/logger';
import { verifySignature } from '../../platform/webhook-signature';
import { auditEventModel } from '../../store/audit-events';
import { caseListModels } from '../../store/case-list';
import { caseProjectionModel } from '../../store/case-projections';
import { organisation } from '../../store/organisation';
import { enqueue, outboxModel, type NotificationDoc, type OutboxModel } from '../../store/outbox';
import { demoCounty } from '../../dev/demo-county/load';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { enforcement, illegalConstruction, routingFor, township } from '../support/fixtures';
import type { WhistleCase } from '../../domain/case/shape';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

const SECRETS = {
  WEBHOOK_SECRET_DEPT_ENFORCEMENT: 'enforcement-secret',
  WEBHOOK_SECRET_DEPT_PLANNING: 'planning-secret',
  WEBHOOK_SECRET_SUPERVISION_OFFICE: 'supervision-secret',
};

let db: TestDatabase;
let server: Server;
let baseUrl: string;
const received: Received[] = [];
/** path → how many requests to it still answer 500 */
const failNext = new Map<string, number>();

let outbox: OutboxModel;
let recordCaseEvents: ReturnType<typeof journalActivities>['recordCaseEvents'];
let deliverNotifications: ReturnType<typeof notifyActivities>['deliverNotifications'];
/** the worker's recording: the log channel delivered as the batch is recorded */
let recordDelivering: ReturnType<typeof journalActivities>['recordCaseEvents'];
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const fails = failNext.get(path) ?? 0;
      if (fails > 0) failNext.set(path, fails - 1);
      const status = fails > 0 ? 500 : 200;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end(status === 200 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // the demo departments and township, two of the departments with webhooks; 南浦溪镇 has none
  const org = organisation(db.connection);
  const demo = demoCounty();
  const hooks: Record<string, string> = {
    'dept-enforcement': 'WEBHOOK_SECRET_DEPT_ENFORCEMENT',
    'dept-planning': 'WEBHOOK_SECRET_DEPT_PLANNING',
  };
  for (const d of demo.departments.filter((d) => d.id in hooks || d.id === 'dept-housing')) {
    const secretRef = hooks[d.id];
    await org.departments.create(
      Department.parse({ ...d, ...(secretRef ? { webhook: { url: `${baseUrl}/${d.id}`, secretRef } } : {}) }),
    );
  }
  await org.townships.create(Township.parse(demo.townships.find((t) => t.id === 'tw-nanpuxi')));

  outbox = outboxModel(db.connection);
  ({ recordCaseEvents } = journalActivities({
    auditEvents: auditEventModel(db.connection),
    cases: caseProjectionModel(db.connection),
    caseList: caseListModels(db.connection),
    outbox,
    listProposals: listProposalModel(db.connection),
    caseFacts: caseFactsModel(db.connection),
    overdueFeed: overdueFeedModel(db.connection),
  }));
  const log = pino(
    { level: 'info' },
    { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const env = { ...SECRETS, WEBHOOK_URL_SUPERVISION_OFFICE: `${baseUrl}/supervision-office` };
  ({ deliverNotifications } = notifyActivities({ outbox, ...org }, { env, log, timeoutMs: 5_000 }));
  ({ recordCaseEvents: recordDelivering } = journalActivities({
    auditEvents: auditEventModel(db.connection),
    cases: caseProjectionModel(db.connection),
    caseList: caseListModels(db.connection),
    outbox,
    listProposals: listProposalModel(db.connection),
    caseFacts: caseFactsModel(db.connection),
    overdueFeed: overdueFeedModel(db.connection),
    deliverToLogs: notifier({ outbox, ...org }, { env, log, timeoutMs: 5_000 }).deliverToLogs,
  }));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.stop();
});

/** A case of WJ-006 (lead: enforcement, co-operating: planning) and its first three events. */
function aCase(): { c: WhistleCase; events: CaseEvent[] } {
  const caseId = `case-${randomUUID()}`;
  const raise = illegalConstruction();
  const c = openCase(caseId, raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
  const at = (m: number) => new Date(Date.parse('2026-03-02T01:00:00Z') + m * 60_000).toISOString();
  return {
    c,
    events: [
      { caseId, seq: 1, type: 'whistle.raised', at: at(0), actor: township, data: { raise, duties: c.duties } },
      {
        caseId,
        seq: 2,
        type: 'duty.escalated',
        at: at(300),
        actor: SYSTEM,
        data: {
          departmentId: 'dept-planning',
          level: 'county_supervision',
          notify: ['department_head', 'supervision_office'],
        },
      },
      {
        caseId,
        seq: 3,
        type: 'case.resolved',
        at: at(400),
        actor: enforcement,
        data: { summary: '已拆除', evidence: [] },
      },
    ],
  };
}

async function entriesOf(caseId: string): Promise<NotificationDoc[]> {
  const batches = await outbox.find({ caseId }).lean();
  return batches.flatMap((b) => b.entries).sort((a, b) => a._id.localeCompare(b._id));
}

const to = (caseId: string, path: string) =>
  received.filter((r) => r.path === path && String(r.headers['x-whistle-event-id']).startsWith(`${caseId}:`));

describe('when a batch of case events is recorded twice (a retried activity)', () => {
  it('then the outbox holds exactly one pending entry per event and receiver', async () => {
    const { c, events } = aCase();
    const first = await recordCaseEvents({ events, projection: c });
    const again = await recordCaseEvents({ events, projection: c });
    await enqueue(outbox, events, c);
    expect(again).toEqual(first); // the audit hash the workflow links on is unchanged

    const entries = await entriesOf(c.caseId);
    expect(entries.map((e) => e._id)).toEqual([
      `${c.caseId}:1:dept-enforcement`,
      `${c.caseId}:1:dept-planning`,
      `${c.caseId}:2:dept-planning`,
      `${c.caseId}:2:supervision-office`,
      `${c.caseId}:3:tw-nanpuxi`,
    ]);
    expect(entries.every((e) => e.status === 'pending' && e.attempts === 0)).toBe(true);
    expect(entries.find((e) => e.receiver === 'dept-planning' && e.seq === 2)!.payload.receiver).toEqual({
      id: 'dept-planning',
      kind: 'department',
      level: 'department_head',
    });
  });
});

describe('when the worker records a batch whose receivers take log lines', () => {
  it('then their entries are delivered as it is recorded, and only a batch with webhook receivers is left for the courier', async () => {
    const { c, events } = aCase();
    // the raise notifies the two departments (webhooks); the result notifies the township (log channel)
    expect(await recordDelivering({ events: events.slice(0, 1), projection: c })).toMatchObject({ forCourier: true });
    const hash = (await auditEventModel(db.connection).findById(`${c.caseId}:1`).lean())!.hash;
    const resolved = { events: events.slice(2), projection: c, prevHash: hash };
    const logOnly = await recordDelivering({ ...resolved, events: [{ ...events[2]!, seq: 2 }] });
    expect(logOnly.forCourier).toBe(false);

    const batches = await outbox.find({ caseId: c.caseId }).sort({ firstSeq: 1 }).lean();
    expect(batches.map((b) => [b.firstSeq, Boolean(b.deliveredAt)])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((await entriesOf(c.caseId)).map((e) => [e.seq, e.receiver, e.status, e.channel ?? null])).toEqual([
      [1, 'dept-enforcement', 'pending', null],
      [1, 'dept-planning', 'pending', null],
      [2, 'tw-nanpuxi', 'delivered', 'log'],
    ]);
    const logged = logLines.filter((l) => l.eventId === `${c.caseId}:2`);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ channel: 'log', receiver: { id: 'tw-nanpuxi' }, type: 'case.resolved' });
    expect(logLines.find((l) => l.msg === 'notifications delivered' && l.batch === `${c.caseId}:2`)).toBeDefined();

    // the courier, called for the webhooks' batch, sends those and leaves the delivered batch as it was
    expect(await deliverNotifications({ caseId: c.caseId, fromSeq: 1, toSeq: 2, batches: [1] })).toEqual({
      webhook: 2,
      log: 0,
    });
    expect((await entriesOf(c.caseId)).every((e) => e.status === 'delivered' && e.attempts === 1)).toBe(true);
  });
});

describe('when the notifications of recorded events are delivered', () => {
  it('then each webhook receiver gets one signed request per event, and the log channel takes the township', async () => {
    const { c, events } = aCase();
    await recordCaseEvents({ events, projection: c });

    expect(await deliverNotifications({ caseId: c.caseId, fromSeq: 1, toSeq: 3 })).toEqual({ webhook: 4, log: 1 });

    const byEnforcement = to(c.caseId, '/dept-enforcement');
    expect(byEnforcement.map((r) => r.headers['x-whistle-event-id'])).toEqual([`${c.caseId}:1`]);
    expect(to(c.caseId, '/dept-planning').map((r) => r.headers['x-whistle-event-id'])).toEqual([
      `${c.caseId}:1`,
      `${c.caseId}:2`,
    ]);
    expect(to(c.caseId, '/supervision-office').map((r) => r.headers['x-whistle-event-id'])).toEqual([`${c.caseId}:2`]);

    const request = byEnforcement[0]!;
    expect(
      verifySignature(
        request.body,
        SECRETS.WEBHOOK_SECRET_DEPT_ENFORCEMENT,
        String(request.headers['x-whistle-signature']),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        request.body,
        SECRETS.WEBHOOK_SECRET_DEPT_PLANNING,
        String(request.headers['x-whistle-signature']),
      ),
    ).toBe(false);
    expect(Math.abs(Number(request.headers['x-whistle-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request.body)).toMatchObject({
      eventId: `${c.caseId}:1`,
      type: 'whistle.raised',
      receiver: { id: 'dept-enforcement' },
      case: { caseId: c.caseId, matterCode: 'WJ-006' },
    });
    const supervision = to(c.caseId, '/supervision-office')[0]!;
    expect(
      verifySignature(
        supervision.body,
        SECRETS.WEBHOOK_SECRET_SUPERVISION_OFFICE,
        String(supervision.headers['x-whistle-signature']),
      ),
    ).toBe(true);

    // delivered to everyone: the batch stays, marked delivered, each entry with its delivery record
    const [batch] = await outbox.find({ caseId: c.caseId }).lean();
    expect(batch!.deliveredAt).toEqual(expect.any(String));
    expect((await entriesOf(c.caseId)).map((e) => [e.receiver, e.status, e.channel, e.attempts])).toEqual([
      ['dept-enforcement', 'delivered', 'webhook', 1],
      ['dept-planning', 'delivered', 'webhook', 1],
      ['dept-planning', 'delivered', 'webhook', 1],
      ['supervision-office', 'delivered', 'webhook', 1],
      ['tw-nanpuxi', 'delivered', 'log', 1],
    ]);
    expect((await entriesOf(c.caseId)).every((e) => typeof e.deliveredAt === 'string')).toBe(true);
    const record = logLines.find((l) => l.msg === 'notifications delivered' && l.caseId === c.caseId)!;
    expect(
      (record.deliveries as { receiver: string; channel: string; attempts: number }[])
        .map((e) => [e.receiver, e.channel, e.attempts])
        .sort(),
    ).toEqual([
      ['dept-enforcement', 'webhook', 1],
      ['dept-planning', 'webhook', 1],
      ['dept-planning', 'webhook', 1],
      ['supervision-office', 'webhook', 1],
      ['tw-nanpuxi', 'log', 1],
    ]);
    const logged = logLines.filter((l) => l.eventId === `${c.caseId}:3`);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      channel: 'log',
      receiver: { id: 'tw-nanpuxi', kind: 'township' },
      type: 'case.resolved',
    });

    // delivered is delivered: asking again sends nothing
    const before = received.length;
    expect(await deliverNotifications({ caseId: c.caseId, fromSeq: 1, toSeq: 3 })).toEqual({ webhook: 0, log: 0 });
    expect(received.length).toBe(before);
  });
});

describe('when a receiver answers 500 once, then 200', () => {
  it('then the first delivery throws, the retry sends only what failed, and each event is accepted once', async () => {
    const { c, events } = aCase();
    await recordCaseEvents({ events, projection: c });
    failNext.set('/dept-planning', 1);

    await expect(deliverNotifications({ caseId: c.caseId, fromSeq: 1, toSeq: 3 })).rejects.toThrow(
      /dept-planning: .* answered 500/,
    );
    // the others got theirs; planning got event 1 (refused) and, to keep its order, not yet event 2
    expect(to(c.caseId, '/dept-planning').map((r) => [r.headers['x-whistle-event-id'], r.status])).toEqual([
      [`${c.caseId}:1`, 500],
    ]);
    const failed = (await entriesOf(c.caseId)).find((e) => e.receiver === 'dept-planning' && e.seq === 1)!;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('500') });

    expect(await deliverNotifications({ caseId: c.caseId, fromSeq: 1, toSeq: 3 })).toEqual({ webhook: 2, log: 0 });

    const accepted = (path: string) =>
      to(c.caseId, path)
        .filter((r) => r.status === 200)
        .map((r) => r.headers['x-whistle-event-id']);
    expect(accepted('/dept-planning')).toEqual([`${c.caseId}:1`, `${c.caseId}:2`]);
    expect(accepted('/dept-enforcement')).toEqual([`${c.caseId}:1`]);
    expect(to(c.caseId, '/dept-enforcement')).toHaveLength(1); // never sent again
    expect(accepted('/supervision-office')).toEqual([`${c.caseId}:2`]);
    // the retried request is the same event, byte for byte, under a valid signature
    const [refused, retried] = to(c.caseId, '/dept-planning');
    expect(retried!.body).toBe(refused!.body);
    expect(
      verifySignature(
        retried!.body,
        SECRETS.WEBHOOK_SECRET_DEPT_PLANNING,
        String(retried!.headers['x-whistle-signature']),
      ),
    ).toBe(true);
    // all delivered, the refused attempt counted
    const entries = await entriesOf(c.caseId);
    expect(entries.every((e) => e.status === 'delivered')).toBe(true);
    expect(entries.find((e) => e.receiver === 'dept-planning' && e.seq === 1)!.attempts).toBe(2);
  });
});

describe("when a webhook's secret variable is not set on the worker", () => {
  it('then delivery to that receiver fails (and is retried) rather than going out unsigned', async () => {
    const { c, events } = aCase();
    await recordCaseEvents({ events: events.slice(0, 1), projection: c });
    const org = organisation(db.connection);
    const { deliverNotifications: withoutSecrets } = notifyActivities(
      { outbox, ...org },
      { env: { WEBHOOK_SECRET_DEPT_ENFORCEMENT: 'enforcement-secret' }, log: pino({ level: 'silent' }) },
    );

    await expect(withoutSecrets({ caseId: c.caseId, fromSeq: 1, toSeq: 1 })).rejects.toThrow(
      /dept-planning has a webhook but WEBHOOK_SECRET_DEPT_PLANNING is not set/,
    );
    expect(to(c.caseId, '/dept-planning')).toHaveLength(0);
    expect(to(c.caseId, '/dept-enforcement')).toHaveLength(1);
  });
});

describe('when a webhook whose URL holds a token refuses an event, or its URL does not parse', () => {
  it('then no log line, no error Temporal retries on and no outbox entry holds the token, a secret or a signature', async () => {
    const token = `url-token-${randomUUID()}`;
    const lines: string[] = [];
    const deliverWith = (url: string) =>
      notifyActivities(
        { outbox, ...organisation(db.connection) },
        {
          env: { ...SECRETS, WEBHOOK_URL_SUPERVISION_OFFICE: url },
          log: createLogger('notifications', 'info', { write: (line: string) => void lines.push(line) }),
          timeoutMs: 5_000,
        },
      ).deliverNotifications;
    const { c, events } = aCase();
    await recordCaseEvents({ events, projection: c });
    const range = { caseId: c.caseId, fromSeq: 1, toSeq: 3 };

    // the supervision office's URL does not parse, then it answers 500 once, then it takes the event
    const unparsable = await deliverWith(`http://[${token}/hook`)(range).catch((err: Error) => err);
    const withToken = deliverWith(`${baseUrl}/supervision-office?token=${token}`);
    failNext.set(`/supervision-office?token=${token}`, 1);
    const refused = await withToken(range).catch((err: Error) => err);
    const lastErrors = (await entriesOf(c.caseId)).map((e) => e.lastError);
    expect(await withToken(range)).toEqual({ webhook: 1, log: 0 });

    expect(unparsable).toBeInstanceOf(Error);
    expect(String(unparsable)).toMatch(/supervision-office: a webhook URL that does not parse could not be reached/);
    expect(String(refused)).toMatch(/supervision-office: http:\/\/127\.0\.0\.1:\d+ answered 500/);
    expect(lines.join('')).toMatch(/notification not delivered/);
    const signatures = received
      .filter((r) => String(r.headers['x-whistle-event-id']).startsWith(`${c.caseId}:`))
      .map((r) => String(r.headers['x-whistle-signature']));
    expect(signatures.length).toBeGreaterThanOrEqual(4);
    const seen = [...lines, String(unparsable), String(refused), JSON.stringify(lastErrors)].join('\n');
    for (const secret of [token, ...Object.values(SECRETS), ...signatures]) expect(seen).not.toContain(secret);
  });
});
