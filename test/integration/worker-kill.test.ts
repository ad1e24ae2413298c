/**
 * Durability: the worker process is killed (SIGKILL) in the middle of a case and started again.
 * The case finishes; the audit trail has every event exactly once and its chain verifies.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CaseGateway } from '../../api/whistles/case-gateway';
import type { Actor } from '../../domain/identity';
import { startService, type Service } from '../../dev/service';
import { ROOT } from '../../dev/tools/paths';
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { firstBrokenLink } from '../../store/audit-chain';
import { caseProjectionModel } from '../../store/case-projections';
import { startTestDatabase, type TestDatabase } from '../support/database';
import { CURRENT_CALENDAR_VERSION } from '../../domain/calendars';
import { isRefusal } from '../../domain/case/refusal';
import { route } from '../../domain/routing';
import { eventually } from '../support/eventually';
import {
  demoMatter,
  enforcement,
  housing,
  illegalConstruction,
  planning,
  routingFor,
  township,
} from '../support/fixtures';
import { startDevServer } from '../support/temporal';
import type { WhistleCase } from '../../domain/case/shape';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
const taskQueue = `kill-${randomUUID()}`;

beforeAll(async () => {
  [env, db] = await Promise.all([startDevServer(), startTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([env?.teardown(), db?.stop()]);
});

/** The worker as its own OS process, exactly as `npm start` runs it. */
async function startWorkerProcess(): Promise<Service> {
  let ready!: () => void;
  const running = new Promise<void>((resolve) => (ready = resolve));
  const worker = await startService('worker', process.execPath, ['--import', 'tsx', join(ROOT, 'worker/main.ts')], {
    cwd: ROOT,
    env: { TEMPORAL_ADDRESS: env.address, MONGODB_URI: db.uri, TASK_QUEUE: taskQueue, LOG_LEVEL: 'info' },
    output: (line) => line.includes('worker running') && ready(),
  });
  await Promise.race([running, worker.exited.then((code) => Promise.reject(new Error(`worker exited with ${code}`)))]);
  return worker;
}

/** Reporting for duty as a person would: if the answer is lost in the crash, ask again. */
async function acknowledgeSurely(
  cases: CaseGateway,
  caseId: string,
  actor: Actor,
  pending?: Promise<unknown>,
): Promise<void> {
  try {
    await (pending ?? cases.act(caseId, 'acknowledge', { actor: actor }));
  } catch {
    await cases.act(caseId, 'acknowledge', { actor: actor }).catch((err: { status?: number }) => {
      if (err.status !== 409) throw err; // 409 = the first attempt did land
    });
  }
}

describe('when the worker is killed in the middle of a case', () => {
  it('then the restarted worker finishes it with every event recorded exactly once', async () => {
    const cases = new CaseGateway(env.client, taskQueue);
    const caseId = `case-${randomUUID()}`;
    const first = await startWorkerProcess();

    // WJ-005: enforcement leads, planning and housing co-operate — three duties
    const whistle = illegalConstruction({ matterCode: 'WJ-005' });
    // without re-inspection, so the workflow completes once the case is closed
    const routing = routingFor(whistle);
    if (routing.kind === 'routed' && routing.matter) delete routing.matter.reinspectionDays;
    await cases.raise(caseId, whistle, township, new Date(), routing, 'test');
    await cases.act(caseId, 'acknowledge', { actor: enforcement });
    const inFlight = cases.act(caseId, 'acknowledge', { actor: planning });
    inFlight.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 30));
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await startWorkerProcess();
    try {
      await acknowledgeSurely(cases, caseId, planning, inFlight);
      await cases.act(caseId, 'acknowledge', { actor: housing });
      // all three on site, the lead reports the result, the township accepts it: the workflow completes
      for (const actor of [enforcement, planning, housing]) await cases.act(caseId, 'arrive', { actor: actor });
      await cases.act(caseId, 'resolve', { actor: enforcement, summary: 'site restored', evidence: [] });
      await cases.act(caseId, 'verify', { actor: township, accept: true });
      await cases.act(caseId, 'evaluate', {
        actor: township,
        ratings: [enforcement, planning, housing].map((d) => ({
          departmentId: d.orgUnitId!,
          speed: 5,
          attitude: 5,
          result: 5,
        })),
      });
      for (const actor of [enforcement, planning, housing])
        await cases.act(caseId, 'evaluate', { actor, cooperation: 5 });
      const final: WhistleCase = await env.client.workflow.getHandle(caseId).result();
      expect(final.status).toBe('closed');
      expect(final.duties.every((d) => d.status === 'on_site')).toBe(true);
    } finally {
      await second.stop();
    }

    const history = await caseHistory(auditEventModel(db.connection), caseId);
    expect(history.map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(history.map((e) => e.type)).toEqual([
      'whistle.raised',
      ...Array(3).fill('duty.acknowledged'),
      ...Array(3).fill('duty.arrived'),
      'case.resolved',
      'case.verified',
      ...Array(4).fill('case.evaluated'),
      'case.closed',
    ]);
    expect(history.slice(1, 4).map((e) => e.data.departmentId)).toEqual([
      'dept-enforcement',
      'dept-planning',
      'dept-housing',
    ]);
    expect(await auditEventModel(db.connection).countDocuments({ caseId })).toBe(14);
    expect(firstBrokenLink(history)).toBeUndefined();
    expect(await caseProjectionModel(db.connection).findById(caseId).lean()).toMatchObject({
      lastSeq: 14,
      status: 'closed',
    });
  });
});

describe('when the worker is down as a deadline passes', () => {
  it('then the warnings, the breach and the reminder that fell due are recorded once it is back, each once', async () => {
    const cases = new CaseGateway(env.client, taskQueue);
    const caseId = `case-${randomUUID()}`;
    const whistle = illegalConstruction({ matterCode: 'WJ-006' });
    // a drill matter: report for duty within a minute, so the deadline passes while the worker is down
    const drill = route(whistle, {
      listVersion: 1,
      calendarVersion: CURRENT_CALENDAR_VERSION,
      matter: { ...demoMatter('WJ-006'), slaProfile: 'drill' },
    });
    if (isRefusal(drill)) throw new Error(drill.reason);
    const first = await startWorkerProcess();
    const raisedAt = Date.now();
    await cases.raise(caseId, whistle, township, new Date(raisedAt), drill, 'test');
    const events = () => caseHistory(auditEventModel(db.connection), caseId);
    await eventually(async () => expect((await events()).length).toBe(1)); // raised and recorded
    first.process.kill('SIGKILL');
    await first.exited;

    const deadline = raisedAt + 60_000;
    await new Promise((resolve) => setTimeout(resolve, deadline + 15_000 - Date.now()));
    const backAt = Date.now();
    const second = await startWorkerProcess();
    try {
      const due = await eventually(async () => {
        const recorded = (await events()).filter((e) => e.data.clock === 'acknowledge');
        expect(recorded.map((e) => `${String(e.data.departmentId)} ${e.type}`).sort()).toEqual(
          ['warned', 'warned', 'warned', 'overdue', 'escalated']
            .flatMap((t) => [`dept-enforcement duty.${t}`, `dept-planning duty.${t}`])
            .sort(),
        );
        return recorded;
      }, 60_000);
      for (const e of due) {
        expect(Date.parse(e.at)).toBeGreaterThanOrEqual(backAt); // recorded after recovery …
        expect(e.data.deadline).toBe(new Date(deadline).toISOString()); // … naming the deadline that passed
      }
      expect(due.filter((e) => e.type === 'duty.escalated').map((e) => e.data.level)).toEqual(['reminder', 'reminder']);
      expect(firstBrokenLink(await events())).toBeUndefined();
    } finally {
      await second.stop();
    }
  }, 180_000);
});
