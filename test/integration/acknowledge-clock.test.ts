/**
 * SLA clocks on the time-skipping test server, with the real figures: urgent = report for duty
 * within 30 wall-clock minutes, normal = within 2 working hours. Each department's clock is its own.
 */
import { randomUUID } from 'node:crypto';
import { CaseGateway } from '../../api/whistles/case-gateway';
import type { WhistleCase } from '../../domain/whistle';
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { caseProjectionModel } from '../../store/case-projections';
import { eventually } from '../support/eventually';
import { enforcement, illegalConstruction, planning, routingFor, township } from '../support/fixtures';
import { useHarness } from '../support/harness';

const MINUTE = 60_000;

const harness = useHarness('time-skipping');
const cases = () => new CaseGateway(harness.env.client, harness.stack.taskQueue);
const env = () => harness.env;

/** Raises a case at the test server's current time, as the API does at the wall-clock time. */
async function raise(urgency: 'urgent' | 'normal'): Promise<{ caseId: string; raisedAt: number }> {
  const caseId = `case-${randomUUID()}`;
  const raisedAt = await env().currentTimeMs();
  const whistle = illegalConstruction({ urgency });
  await cases().raise(caseId, whistle, township, new Date(raisedAt), routingFor(whistle), 'test');
  return { caseId, raisedAt };
}

/** Time only moves forward on the test server: skip to a chosen instant of the calendar's years. */
async function skipTo(iso: string): Promise<void> {
  const now = await env().currentTimeMs();
  const target = Date.parse(iso);
  if (target < now) throw new Error(`${iso} has passed: move the test's dates into a year the working calendar covers`);
  await env().sleep(target - now);
}

const duty = (c: WhistleCase, departmentId: string) => c.duties.find((d) => d.departmentId === departmentId)!;

describe('when an urgent whistle is not answered', () => {
  it('then nothing is overdue at 29 minutes, and each silent department is overdue at exactly 30', async () => {
    const { caseId, raisedAt } = await raise('urgent');

    await env().sleep(29 * MINUTE);
    const early = await cases().state(caseId);
    expect(early.duties.every((d) => d.overdueSince === undefined)).toBe(true);

    await env().sleep(2 * MINUTE);
    const late = await eventually(async () => {
      const c = await cases().state(caseId);
      expect(c.duties.every((d) => d.overdueSince !== undefined)).toBe(true);
      return c;
    });
    const deadline = new Date(raisedAt + 30 * MINUTE).toISOString();
    for (const d of late.duties) {
      expect(d.acknowledgeBy).toBe(deadline);
      expect(d.overdueSince).toBe(deadline);
    }

    await eventually(async () => {
      const history = await caseHistory(auditEventModel(harness.db.connection), caseId);
      const overdue = history.filter((e) => e.type === 'duty.overdue');
      expect(overdue.map((e) => e.data.departmentId).sort()).toEqual([enforcement.orgUnitId, planning.orgUnitId]);
      expect(overdue.every((e) => e.actor.role === 'system' && e.data.deadline === deadline && e.data.clock === 'acknowledge')).toBe(true);
      // the timer fires at the deadline: recorded within a second of it, never before
      for (const e of overdue) {
        expect(Date.parse(e.at) - Date.parse(deadline)).toBeGreaterThanOrEqual(0);
        expect(Date.parse(e.at) - Date.parse(deadline)).toBeLessThan(1000);
      }
      expect(await caseProjectionModel(harness.db.connection).findById(caseId).lean()).toMatchObject({ overdue: true });
    });
  });
});

describe('when one department reports for duty in time and the other does not', () => {
  it('then only the silent one is overdue after 2 working hours, counted across the weekend, and its late report still counts', async () => {
    const friday1600 = Date.parse('2027-03-12T08:00:00.000Z'); // Friday 16:00 in Shanghai
    await skipTo(new Date(friday1600).toISOString());
    const { caseId, raisedAt } = await raise('normal');
    // 16:00–17:30 Friday is 1.5 h; the last half hour runs Monday 08:30–09:00 (plus the few ms
    // the test server moved past 16:00 before the raise)
    const deadline = new Date(Date.parse('2027-03-15T01:00:00.000Z') + (raisedAt - friday1600)).toISOString();

    await env().sleep(45 * MINUTE);
    await cases().acknowledge(caseId, enforcement);
    await skipTo('2027-03-14T12:00:00.000Z'); // Sunday: nothing is due yet
    expect((await cases().state(caseId)).duties.every((d) => d.overdueSince === undefined)).toBe(true);
    await skipTo('2027-03-15T01:01:00.000Z');

    const c = await eventually(async () => {
      const state = await cases().state(caseId);
      expect(duty(state, planning.orgUnitId!).overdueSince).toBeDefined();
      return state;
    });
    expect(duty(c, enforcement.orgUnitId!).overdueSince).toBeUndefined();
    expect(duty(c, planning.orgUnitId!)).toMatchObject({ acknowledgeBy: deadline, overdueSince: deadline });

    const done = await cases().acknowledge(caseId, planning);
    expect(done.status).toBe('in_progress');
    const history = await caseHistory(auditEventModel(harness.db.connection), caseId);
    expect(history.map((e) => e.type)).toEqual(['whistle.raised', 'duty.acknowledged', 'duty.overdue', 'duty.acknowledged']);
  });
});
