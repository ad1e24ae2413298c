/**
 * Faults under load: the service runs as separate processes (Temporal dev server on a file, FerretDB,
 * worker, API) while a few cases run their scripts of HTTP actions, retrying on 503 and lost
 * connections. The worker, the API, Temporal and the database are SIGKILLed in turn and started
 * again. Then every case is where its script drove it, the API never answered 500 nor hung, every
 * audit event is there once and every chain verifies, and a webhook receiver that was itself down for
 * a while saw each event at most once and got the rest later. Figures are printed, not asserted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Actor } from '../../domain/identity';
import { loadDemoCounty } from '../../dev/demo-county/load';
import { signToken } from '../../platform/tokens';
import { verifySignature } from '../../platform/webhook-signature';
import { auditEventModel } from '../../store/audit-events';
import { firstBrokenLink } from '../../store/audit-chain';
import { connectStore } from '../../store/connection';
import { outboxModel } from '../../store/outbox';
import { eventually } from '../support/eventually';
import { admin, enforcement, planning, township } from '../support/fixtures';
import { startProcessStack, type ProcessStack, type Role } from '../support/processes';

const JWT_SECRET = 'fault-test-secret-that-is-long-enough-for-hs256';
const HOOK_SECRET = 'fault-enforcement-secret';
const REQUEST_TIMEOUT_MS = 45_000;

let stack: ProcessStack;
let store: Connection;
let hooks: Server;
/** what the enforcement department's webhook receiver was sent: event id and answer */
const deliveries: { eventId: string; status: number; signed: boolean }[] = [];
let receiverDown = true;
/** the API's error lines (level 50): what a 500 was */
const apiErrors: string[] = [];
/** set when the load failed: the fault loop and the scripts stop instead of running on */
let aborted = false;

beforeAll(async () => {
  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = receiverDown ? 500 : 200;
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.push({
        eventId: String(req.headers['x-whistle-event-id']),
        status,
        signed: verifySignature(body, HOOK_SECRET, String(req.headers['x-whistle-signature'])),
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  stack = await startProcessStack({
    jwtSecret: JWT_SECRET,
    taskQueue: `faults-${randomUUID()}`,
    workerEnv: { WEBHOOK_SECRET_DEPT_ENFORCEMENT: HOOK_SECRET },
    output: (role, line) => {
      // the API's own account of a 500, printed with the failure (a rare one must name its error)
      if (role === 'api' && line.includes('"level":50')) apiErrors.push(line);
      if (process.env.FAULTS_VERBOSE) process.stderr.write(`[${role}] ${line}\n`);
    },
  });
  await Promise.all([stack.start('temporal'), stack.start('database')]);
  store = await connectStore(stack.mongoUri);
  await loadDemoCounty(store);
  await Promise.all([stack.start('worker'), stack.start('api')]);
}, 180_000);

afterAll(async () => {
  await store?.close();
  await stack?.stopAll();
  await new Promise((resolve) => hooks?.close(resolve));
}, 60_000);

// ---- the API as a patient client sees it ------------------------------------------------------

interface Observed {
  status: number | 'connection' | 'timeout';
  retryAfter?: string | null;
  ms: number;
  at?: number;
}
const observed: Observed[] = [];

async function request(actor: Actor, method: string, path: string, body?: unknown): Promise<Observed & { body?: any }> {
  const started = Date.now();
  try {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await signToken(JWT_SECRET, actor)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    const seen = {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ms: Date.now() - started,
      at: started,
    };
    observed.push(seen);
    return { ...seen, body: text ? JSON.parse(text) : undefined };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    const seen: Observed = { status: timedOut ? 'timeout' : 'connection', ms: Date.now() - started, at: started };
    observed.push(seen);
    return seen;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One action as a person would take it through outages: on 503, a lost connection or a timeout,
 * ask again; a 409 after such an attempt means the earlier attempt landed.
 */
async function act(actor: Actor, caseId: string, action: string, body?: unknown): Promise<void> {
  const deadline = Date.now() + 150_000;
  let uncertain = false;
  for (;;) {
    if (aborted) throw new Error('aborted');
    const res = await request(actor, 'POST', `/api/v1/whistles/${caseId}/${action}`, body);
    if (typeof res.status === 'number' && res.status < 300) break;
    if (res.status === 409 && uncertain) break;
    const retryable = res.status === 503 || res.status === 'connection' || res.status === 'timeout';
    if (!retryable || Date.now() > deadline)
      throw new Error(`${caseId} ${action}: ${res.status} ${JSON.stringify(res.body)}`);
    uncertain = true;
    await pause(Math.min(1000, Number(res.retryAfter ?? 0) * 1000) || 300);
  }
}

// ---- the load ---------------------------------------------------------------------------------

type Step = [Actor, string, unknown?];
const rate = (departmentId: string) => ({ departmentId, speed: 5, attitude: 4, result: 4 });
const FULL: Step[] = [
  [enforcement, 'acknowledge'],
  [planning, 'acknowledge'],
  [enforcement, 'on-site'],
  [planning, 'on-site'],
  [enforcement, 'resolve', { summary: '已拆除 / demolished' }],
  [township, 'verify', { accept: true }],
  [township, 'evaluate', { ratings: [rate('dept-enforcement'), rate('dept-planning')] }],
  [enforcement, 'evaluate', { cooperation: 5 }],
  [planning, 'evaluate', { cooperation: 4 }],
];
/** each script: its steps, where they leave the case, and the audit events they add */
const SCRIPTS = {
  closed: { steps: FULL, status: 'closed' },
  awaiting_verification: { steps: FULL.slice(0, 5), status: 'awaiting_verification' },
  in_progress: { steps: FULL.slice(0, 2), status: 'in_progress' },
  reporting: { steps: FULL.slice(0, 1), status: 'reporting' },
} as const;
const LOAD: (keyof typeof SCRIPTS)[] = [
  'closed',
  'closed',
  'closed',
  'awaiting_verification',
  'awaiting_verification',
  'in_progress',
  'in_progress',
  'reporting',
];
const EVENT_OF: Record<string, string> = {
  acknowledge: 'duty.acknowledged',
  'on-site': 'duty.arrived',
  resolve: 'case.resolved',
  verify: 'case.verified',
  evaluate: 'case.evaluated',
};
const LOAD_SPAN_MS = 55_000;

async function raise(): Promise<string> {
  const res = await request(township, 'POST', '/api/v1/whistles', {
    matterCode: 'WJ-006',
    title: '违法建设 / illegal construction',
    description: '临时建筑逾期不拆除',
    urgency: 'urgent',
    location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', address: '下村 12 号' },
  });
  expect(res.status).toBe(201);
  return res.body.caseId as string;
}

async function runScript(caseId: string, steps: readonly Step[], startAfterMs: number): Promise<void> {
  await pause(startAfterMs);
  const gap = (LOAD_SPAN_MS - startAfterMs) / steps.length;
  for (const [actor, action, body] of steps) {
    await act(actor, caseId, action, body);
    await pause(gap);
  }
}

// ---- the faults -------------------------------------------------------------------------------

interface Outage {
  role: Role;
  killedAt: number;
  restartedAt: number;
  recoveredAt?: number;
}

async function faults(outages: Outage[], probeCase: string): Promise<void> {
  for (const role of ['worker', 'api', 'temporal', 'database'] as Role[]) {
    await pause(4_000);
    if (aborted) return;
    const killedAt = Date.now();
    await stack.kill(role);
    // while it is down, a case read (Temporal, worker) and a list (database) are asked every 500 ms
    for (let i = 0; i < 6; i++) {
      void request(township, 'GET', `/api/v1/whistles/${probeCase}`);
      void request(township, 'GET', '/api/v1/whistles?pageSize=1');
      await pause(500);
    }
    await stack.start(role);
    const outage: Outage = { role, killedAt, restartedAt: Date.now() };
    outages.push(outage);
    // recovered: a case read (API, Temporal, worker) and a list (API, database) both answer again
    await eventually(async () => {
      if (aborted) return;
      const [read, list] = await Promise.all([
        request(township, 'GET', `/api/v1/whistles/${probeCase}`),
        request(township, 'GET', '/api/v1/whistles?pageSize=1'),
      ]);
      expect([read.status, list.status]).toEqual([200, 200]);
    }, 120_000);
    outage.recoveredAt = Date.now();
  }
}

describe('when the worker, the API, Temporal and the database are killed in turn under a load of cases', () => {
  it('then every case ends where its script drove it, the chain is whole, and no receiver saw an event twice', async () => {
    // the enforcement department's webhook, set as an administrator does; its receiver starts down
    const path = '/api/v1/departments/dept-enforcement';
    const dept = await request(admin, 'GET', path);
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/dept-enforcement`;
    const put = await request(admin, 'PUT', path, {
      ...dept.body,
      webhook: { url: hookUrl, secretRef: 'WEBHOOK_SECRET_DEPT_ENFORCEMENT' },
    });
    expect(put.status).toBe(200);

    const cases: { caseId: string; script: keyof typeof SCRIPTS }[] = [];
    for (const script of LOAD) cases.push({ caseId: await raise(), script });

    const outages: Outage[] = [];
    const started = Date.now();
    setTimeout(() => (receiverDown = false), 15_000);
    await Promise.all([
      faults(outages, cases[0]!.caseId),
      ...cases.map(({ caseId, script }, i) => runScript(caseId, SCRIPTS[script].steps, i * 500)),
    ]).catch((err: unknown) => {
      aborted = true;
      throw err;
    });
    receiverDown = false;

    // every case is where its script left it
    for (const { caseId, script } of cases) {
      const res = await request(township, 'GET', `/api/v1/whistles/${caseId}`);
      expect([caseId, res.body?.status]).toEqual([caseId, SCRIPTS[script].status]);
    }

    // every action's event once, seqs 1..n without gap or double, every chain verifies
    const events = auditEventModel(store);
    let eventsChecked = 0;
    for (const { caseId, script } of cases) {
      const docs = await events.find({ caseId }).sort({ seq: 1 }).lean();
      const seqs = docs.map((d) => d.seq);
      expect([caseId, seqs]).toEqual([caseId, seqs.map((_, i) => i + 1)]);
      const count = (type: string) => docs.filter((d) => d.type === type).length;
      expect(count('whistle.raised')).toBe(1);
      for (const type of new Set(Object.values(EVENT_OF))) {
        const expected = SCRIPTS[script].steps.filter(([, action]) => EVENT_OF[action] === type).length;
        expect([caseId, type, count(type)]).toEqual([caseId, type, expected]);
      }
      expect(count('case.closed')).toBe(script === 'closed' ? 1 : 0);
      expect(firstBrokenLink(docs as never)).toBeUndefined();
      const verified = await request(township, 'GET', `/api/v1/whistles/${caseId}/history/verify`);
      expect([caseId, verified.status, verified.body?.valid]).toEqual([caseId, 200, true]);
      eventsChecked += docs.length;
    }

    // the receiver: everything meant for it arrives, signed, each event accepted once
    const outbox = outboxModel(store);
    const pendingNotifications = async (caseId: string) =>
      (await outbox.find({ caseId }).lean()).flatMap((b) => b.entries).filter((e) => e.status !== 'delivered');
    await eventually(async () => {
      for (const { caseId } of cases) expect(await pendingNotifications(caseId)).toEqual([]);
    }, 120_000);
    const accepted = deliveries.filter((d) => d.status === 200).map((d) => d.eventId);
    expect(accepted.length).toBe(new Set(accepted).size);
    expect(deliveries.every((d) => d.signed)).toBe(true);
    const refused = deliveries.filter((d) => d.status === 500).map((d) => d.eventId);
    expect(refused.length).toBeGreaterThan(0);
    for (const id of refused) expect(accepted).toContain(id);
    const raisedFor = cases.map((c) => `${c.caseId}:1`);
    for (const id of raisedFor) expect(accepted).toContain(id);

    // the API answered while its dependencies were down: 503 with Retry-After, never 500, never hung
    const numeric = observed.filter((o) => typeof o.status === 'number');
    const unavailable = numeric.filter((o) => o.status === 503);
    const recoveries = outages.map((o) => {
      const during = observed.filter((r) => r.at! >= o.killedAt && r.at! <= (o.recoveredAt ?? 0));
      const answers = [...new Set(during.map((r) => r.status))]
        .map((status) => `${status} ×${during.filter((r) => r.status === status).length}`)
        .join(' ');
      return `${o.role} ${((o.recoveredAt ?? NaN) - o.killedAt) / 1000}s (meanwhile ${answers})`;
    });
    console.log(
      [
        `faults: ${cases.length} cases, ${outages.length} processes killed (${outages.map((o) => o.role).join(', ')})`,
        `events checked ${eventsChecked}; webhook deliveries ${deliveries.length} (${accepted.length} accepted, ${refused.length} refused)`,
        `requests ${observed.length}: 503 ${unavailable.length}, connection lost ${observed.filter((o) => o.status === 'connection').length}, ` +
          `timeouts ${observed.filter((o) => o.status === 'timeout').length}, slowest ${Math.max(...observed.map((o) => o.ms))} ms`,
        `kill → answering again: ${recoveries.join(', ')}; whole run ${(Date.now() - started) / 1000}s`,
      ].join('\n'),
    );
    const failed = numeric.filter((o) => (o.status as number) >= 500 && o.status !== 503);
    expect({ failed, apiErrors: failed.length ? apiErrors : [] }).toEqual({ failed: [], apiErrors: [] });
    expect(unavailable.length).toBeGreaterThan(0); // the probes of the database outage
    expect(unavailable.filter((o) => !o.retryAfter)).toEqual([]);
    expect(observed.filter((o) => o.status === 'timeout')).toEqual([]);
  }, 240_000);
});
