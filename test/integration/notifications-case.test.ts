/**
 * Notifications through a real case: webhooks configured over the API on the running stack, a case
 * driven over HTTP from the whistle to its closing, and a real HTTP receiver per org unit. Each
 * receiver gets every event meant for it once (by delivery id), in order, signed with its secret; a
 * receiver that answers 500 for a while gets the rest later, none lost or doubled.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Actor } from '../../domain/identity';
import { verifySignature } from '../../platform/webhook-signature';
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { outboxModel } from '../../store/outbox';
import { eventually } from '../support/eventually';
import { admin, enforcement, planning, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { call } from '../support/http';

interface Received {
  receiver: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** the worker reads its secrets from its environment, named by each webhook's secretRef */
const SECRETS: Record<string, string> = {
  'dept-enforcement': 'case-enforcement-secret',
  'dept-planning': 'case-planning-secret',
  'tw-nanpuxi': 'case-nanpuxi-secret',
};
const secretRef = (id: string) => `WEBHOOK_SECRET_${id.toUpperCase().replace(/-/g, '_')}`;
for (const [id, secret] of Object.entries(SECRETS)) process.env[secretRef(id)] = secret;

const harness = useHarness('dev-server');
const received: Received[] = [];
/** receivers that answer 500 to everything until taken out of this set */
const down = new Set<string>();
let receiverServer: Server;

beforeAll(async () => {
  receiverServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receiver = (req.url ?? '/').slice(1);
      const status = down.has(receiver) ? 500 : 200;
      received.push({ receiver, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end(status === 200 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  const hookBase = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}`;

  // configured as an administrator would: read the org unit, put it back with its webhook
  const token = await harness.stack.token(admin);
  for (const id of Object.keys(SECRETS)) {
    const path = `/api/v1/${id.startsWith('tw-') ? 'townships' : 'departments'}/${id}`;
    const unit = await call(harness.stack.baseUrl, 'GET', path, { token });
    expect(unit.status).toBe(200);
    const put = await call(harness.stack.baseUrl, 'PUT', path, {
      token,
      body: { ...unit.body, webhook: { url: `${hookBase}/${id}`, secretRef: secretRef(id) } },
    });
    expect(put.status).toBe(200);
  }
});

afterAll(async () => {
  await new Promise((resolve) => receiverServer?.close(resolve));
  for (const id of Object.keys(SECRETS)) delete process.env[secretRef(id)];
});

async function act(actor: Actor, caseId: string, action: string, body?: unknown): Promise<void> {
  const res = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/${action}`, {
    token: await harness.stack.token(actor),
    ...(body === undefined ? {} : { body }),
  });
  expect([action, res.status]).toEqual([action, 200]);
}

const forCase = (caseId: string) =>
  received.filter((r) => String(r.headers['x-whistle-event-id']).startsWith(`${caseId}:`));
const seqOf = (r: Received) => Number(String(r.headers['x-whistle-event-id']).split(':').pop());

describe('when a case runs from the whistle to its closing with webhooks configured, one receiver down for a while', () => {
  it('then every receiver gets each of its events once, in order, signed, and the one that was down gets the rest later', async () => {
    down.add('dept-planning');
    const raised = await call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', {
      token: await harness.stack.token(township),
      body: {
        matterCode: 'WJ-006',
        title: '违法建设 / illegal construction',
        description: '临时建筑逾期不拆除',
        urgency: 'urgent',
        location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', address: '下村 12 号' },
      },
    });
    expect(raised.status).toBe(201);
    const caseId = raised.body.caseId as string;

    await act(enforcement, caseId, 'acknowledge');
    await act(planning, caseId, 'acknowledge');
    await act(enforcement, caseId, 'on-site');
    await act(planning, caseId, 'on-site');
    await act(enforcement, caseId, 'resolve', { summary: '已责令拆除，现场恢复' });
    await act(township, caseId, 'verify', { accept: true });
    await act(township, caseId, 'evaluate', {
      ratings: [
        { departmentId: 'dept-enforcement', speed: 5, attitude: 5, result: 4 },
        { departmentId: 'dept-planning', speed: 4, attitude: 5, result: 4 },
      ],
    });
    await act(enforcement, caseId, 'evaluate', { cooperation: 5 });
    await act(planning, caseId, 'evaluate', { cooperation: 4 });

    const history = await eventually(async () => {
      const h = await caseHistory(auditEventModel(harness.db.connection), caseId);
      expect(h.map((e) => e.type)).toContain('case.closed');
      return h;
    });
    // planning has refused what it was sent so far; now it is back
    const refusedWhileDown = forCase(caseId).filter((r) => r.receiver === 'dept-planning' && r.status === 500);
    expect(refusedWhileDown.length).toBeGreaterThan(0);
    down.delete('dept-planning');

    // every entry of the outbox delivered
    const outbox = outboxModel(harness.db.connection);
    await eventually(async () => {
      const entries = (await outbox.find({ caseId }).lean()).flatMap((b) => b.entries);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.filter((e) => e.status !== 'delivered')).toEqual([]);
    }, 90_000);

    const typeOf = new Map(history.map((e) => [e.seq, e.type]));
    const accepted = (receiver: string) => forCase(caseId).filter((r) => r.receiver === receiver && r.status === 200);
    for (const receiver of Object.keys(SECRETS)) {
      const got = accepted(receiver);
      const seqs = got.map(seqOf);
      // once each, in the order of the case
      expect([receiver, seqs]).toEqual([receiver, [...new Set(seqs)].sort((a, b) => a - b)]);
      for (const r of got) {
        expect(verifySignature(r.body, SECRETS[receiver]!, String(r.headers['x-whistle-signature']))).toBe(true);
        const body = JSON.parse(r.body) as { type: string; seq: number; receiver: { id: string }; caseId: string };
        expect(body).toMatchObject({ caseId, seq: seqOf(r), type: typeOf.get(seqOf(r)), receiver: { id: receiver } });
        expect(r.headers['x-whistle-event-type']).toBe(body.type);
      }
    }
    // each department hears of the whistle, the acceptance, its rating and the closing
    for (const dept of ['dept-enforcement', 'dept-planning']) {
      const types = accepted(dept).map((r) => typeOf.get(seqOf(r)));
      expect(types[0]).toBe('whistle.raised');
      expect(types).toEqual(expect.arrayContaining(['case.verified', 'case.evaluated', 'case.closed']));
    }
    // the township hears of each report for duty, each arrival, the result, its rating and the closing
    expect(accepted('tw-nanpuxi').map((r) => typeOf.get(seqOf(r)))).toEqual(
      expect.arrayContaining(['duty.acknowledged', 'duty.arrived', 'case.resolved', 'case.evaluated', 'case.closed']),
    );
    expect(accepted('tw-nanpuxi').filter((r) => typeOf.get(seqOf(r)) === 'duty.acknowledged')).toHaveLength(2);
    // what planning refused it got later, byte for byte the same event
    for (const refused of refusedWhileDown) {
      const later = accepted('dept-planning').find((r) => seqOf(r) === seqOf(refused));
      expect(later?.body).toBe(refused.body);
    }
    // planning and enforcement see the same events of this case: nothing was lost while planning was down
    const planningTypes = accepted('dept-planning').map((r) => typeOf.get(seqOf(r)));
    const enforcementTypes = accepted('dept-enforcement').map((r) => typeOf.get(seqOf(r)));
    expect(planningTypes.length).toBeGreaterThanOrEqual(5);
    expect(new Set(planningTypes)).toEqual(new Set(enforcementTypes));

    const all = forCase(caseId);
    console.log(
      `notifications through a case: ${history.length} events, ${all.length} requests, ` +
        `${all.filter((r) => r.status === 200).length} accepted, ${all.filter((r) => r.status === 500).length} refused`,
    );
  });
});
