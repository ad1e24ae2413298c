/**
 * The township's own clocks on a reverse whistle (部门吹哨、乡镇报到), on the time-skipping test
 * server with the real urgent figures: the township's module reports for duty within 30 minutes and
 * comes on site within 2 hours; late, it is warned, marked overdue and escalated rung by rung, each
 * told to the township; reporting and arriving stop its ladders. The lead department's own report
 * is met when it blows the whistle, and its resolve clock runs 24 hours from then.
 *
 * The whistle is started at the server's time (as the API does at the wall-clock time); every other
 * action goes through the API. Never await `result()` of an open case here: the server would skip ahead.
 */
import { randomUUID } from 'node:crypto';
import type { ClockName } from '../../domain/duty-clock';
import type { Actor } from '../../domain/identity';
import { recipientsOf } from '../../domain/notifications';
import { eventually } from '../support/eventually';
import { ecology, reverseRoutingFor, riverCheck, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { call } from '../support/http';
import { skippingTime } from '../support/skipping-time';
import { clockEvents, expectRecordedAt } from '../support/milestones';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TOWNSHIP = 'tw-nanpuxi';

const harness = useHarness('time-skipping');
const { env, cases, skipTo } = skippingTime(harness);

const iso = (ms: number) => new Date(ms).toISOString();

async function act(actor: Actor, caseId: string, action: string): Promise<void> {
  const res = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/${action}`, {
    token: await harness.stack.token(actor),
  });
  expect(`${action}: ${res.status}`).toBe(`${action}: 200`);
}

const eventsOf = (caseId: string, departmentId: string, clock: ClockName) =>
  clockEvents(harness.db.connection, caseId, departmentId, clock);

describe('when the township asked to assist an urgent reverse whistle is late', () => {
  it('then its report-for-duty and on-site clocks warn, breach and escalate at the real instants, told to the township, and stop when it acts', async () => {
    const caseId = `case-${randomUUID()}`;
    const t0 = await env().currentTimeMs();
    const whistle = riverCheck({ urgency: 'urgent' });
    await cases().raise(caseId, whistle, ecology, new Date(t0), reverseRoutingFor(whistle, ecology), 'test');

    const raised = await cases().state(caseId);
    const lead = raised.duties.find((d) => d.departmentId === 'dept-ecology')!;
    expect(lead.clocks.acknowledge.metAt).toBe(iso(t0));
    expect(lead.clocks.resolve!.deadline).toBe(iso(t0 + 24 * HOUR));
    expect(raised.duties.find((d) => d.departmentId === TOWNSHIP)!.clocks).toMatchObject({
      acknowledge: { deadline: iso(t0 + 30 * MINUTE) },
      onSite: { deadline: iso(t0 + 2 * HOUR) },
    });

    // the lead comes on site at once; the township stays silent past its 30 minutes
    await skipTo(t0 + 5 * MINUTE);
    await act(ecology, caseId, 'on-site');
    await skipTo(t0 + 70 * MINUTE);
    await eventually(async () =>
      expect((await cases().state(caseId)).duties[1]!.clocks.acknowledge.escalation).toBe('department_head'),
    );
    await act(township, caseId, 'acknowledge');

    // it reports, but comes on site only after its 2 hours
    await skipTo(t0 + 125 * MINUTE);
    await eventually(async () =>
      expect((await cases().state(caseId)).duties[1]!.clocks.onSite.overdueSince).toBe(iso(t0 + 2 * HOUR)),
    );
    await act(township, caseId, 'on-site');
    await skipTo(t0 + 200 * MINUTE);

    await eventually(async () => {
      const acknowledge = await eventsOf(caseId, TOWNSHIP, 'acknowledge');
      expectRecordedAt(acknowledge, {
        'duty.warned:0.5': t0 + 15 * MINUTE,
        'duty.warned:0.75': t0 + 22.5 * MINUTE,
        'duty.warned:0.9': t0 + 27 * MINUTE,
        'duty.overdue': t0 + 30 * MINUTE,
        'duty.escalated:reminder': t0 + 30 * MINUTE,
        'duty.escalated:department_head': t0 + 60 * MINUTE,
      });
      // 50 / 75 / 90 % of 2 hours, the breach and its first rung; arriving at 125 minutes stops the ladder
      const onSite = await eventsOf(caseId, TOWNSHIP, 'onSite');
      expectRecordedAt(onSite, {
        'duty.warned:0.5': t0 + 60 * MINUTE,
        'duty.warned:0.75': t0 + 90 * MINUTE,
        'duty.warned:0.9': t0 + 108 * MINUTE,
        'duty.overdue': t0 + 120 * MINUTE,
        'duty.escalated:reminder': t0 + 120 * MINUTE,
      });
      expect(onSite[3]!.data).toMatchObject({ rule: 'sla.urgent.onSite', deadline: iso(t0 + 2 * HOUR) });

      // the township hears of its own lateness; the lead reported when it blew the whistle
      const state = await cases().state(caseId);
      for (const e of [...acknowledge, ...onSite])
        expect(recipientsOf(e, state)).toContainEqual(expect.objectContaining({ id: TOWNSHIP, kind: 'township' }));
      expect(await eventsOf(caseId, 'dept-ecology', 'acknowledge')).toEqual([]);
      expect(await eventsOf(caseId, 'dept-ecology', 'onSite')).toEqual([]);
    });
  });
});
