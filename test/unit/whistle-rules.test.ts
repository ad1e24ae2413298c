import { canSeeCase, departmentsInScope, listScope, takesPart } from '../../domain/access';
import { arbitrate, decline } from '../../domain/dispute';
import { milestones } from '../../domain/duty-clock';
import { CN_CALENDAR } from '../../domain/calendar';
import { SLA_PRESETS } from '../../domain/sla';
import { CalendarRangeError } from '../../domain/calendar';
import { isOverdue } from '../../domain/clocks';
import { openCase, passMilestone, scheduleOf } from '../../domain/whistle';
import {
  ecology,
  enforcement,
  illegalConstruction,
  otherTownship,
  planning,
  routingFor,
  supervisor,
  township,
} from '../support/fixtures';
import { acknowledge, allReported, arrive, refuseAcknowledge, refuseArrival } from '../../domain/report-for-duty';

// Monday 2026-03-02, 15:00 in Shanghai
const raisedAt = new Date('2026-03-02T07:00:00.000Z');
const open = (raise = illegalConstruction(), at = raisedAt) =>
  openCase('case-1', raise, township, at, routingFor(raise));
const fresh = () => open();

describe('when a whistle opens a case', () => {
  it('then the lead and each co-operating department get their own duty, with 2 working hours on a normal matter, and the lead 7 working days to resolve', () => {
    const c = fresh();
    expect(c.status).toBe('reporting');
    expect(c.routing).toMatchObject({ listVersion: 1, slaProfile: 'normal', matter: { code: 'WJ-006', version: 1 } });
    // 15:00 + 2 working hours = 17:00 the same day; on site within 1 working day = 15:00 the next working day
    const clocks = {
      acknowledge: { startedAt: raisedAt.toISOString(), deadline: '2026-03-02T09:00:00.000Z', warned: [] },
      onSite: { startedAt: raisedAt.toISOString(), deadline: '2026-03-03T07:00:00.000Z', warned: [] },
    };
    // the lead answers for the result: 7 working days = 15:00 on Wednesday of the next week
    const resolve = { startedAt: raisedAt.toISOString(), deadline: '2026-03-11T07:00:00.000Z', warned: [] };
    expect(c.duties).toEqual([
      {
        departmentId: 'dept-enforcement',
        role: 'lead',
        status: 'called',
        calledAt: raisedAt.toISOString(),
        clocks: { ...clocks, resolve },
      },
      {
        departmentId: 'dept-planning',
        role: 'cooperating',
        status: 'called',
        calledAt: raisedAt.toISOString(),
        clocks,
      },
    ]);
  });

  it('then a whistle raised at 17:00 runs on into the next morning, and an urgent one gives 30 wall-clock minutes', () => {
    const evening = new Date('2026-03-02T09:00:00.000Z'); // 17:00 Shanghai: 30 min today, 1.5 h from 08:30 tomorrow
    expect(open(illegalConstruction(), evening).duties[0]!.clocks.acknowledge.deadline).toBe(
      '2026-03-03T02:00:00.000Z',
    );
    const urgent = open(illegalConstruction({ urgency: 'urgent' }), evening).duties[0]!.clocks;
    expect([urgent.acknowledge.deadline, urgent.onSite.deadline]).toEqual([
      '2026-03-02T09:30:00.000Z',
      '2026-03-02T11:00:00.000Z',
    ]);
  });

  it('then a whistle without a matter waits at the dispatch desk with no duty yet', () => {
    const c = open(illegalConstruction({ matterCode: undefined }));
    expect(c.status).toBe('dispatching');
    expect(c.duties).toEqual([]);
    expect(c.routing.dispatchReason).toMatch(/dispatch desk/);
  });

  it("then a whistle sent to the desk before the desk had a clock (no classify limit in its profile) gets the preset's", () => {
    const raise = illegalConstruction({ matterCode: undefined });
    const routing = routingFor(raise);
    if (routing.kind !== 'dispatch') throw new Error('expected a dispatch routing');
    const { classify: _newer, ...older } = routing.profile;
    const c = openCase('case-1', raise, township, raisedAt, { ...routing, profile: older as typeof routing.profile });
    expect(c.status).toBe('dispatching');
    // normal: 1 working hour from 15:00 Shanghai
    expect(c.dispatch?.clock).toEqual({
      startedAt: raisedAt.toISOString(),
      deadline: '2026-03-02T08:00:00.000Z',
      warned: [],
    });
  });
});

describe('when a department reports for duty', () => {
  it('then only a called department may, and only once', () => {
    const c = fresh();
    expect(refuseAcknowledge(c, enforcement)).toBeUndefined();
    expect(refuseAcknowledge(c, ecology)).toMatchObject({ kind: 'forbidden' });
    expect(refuseAcknowledge(c, township)).toMatchObject({ kind: 'forbidden' });
    const after = acknowledge(c, enforcement, new Date('2026-03-02T09:10:00Z'));
    expect(refuseAcknowledge(after, enforcement)).toMatchObject({ kind: 'conflict' });
  });

  it('then the case is in progress once every department has reported, and state is never mutated in place', () => {
    const c = fresh();
    const one = acknowledge(c, enforcement, new Date('2026-03-02T09:10:00Z'));
    expect(c.duties[0]!.status).toBe('called');
    expect(one.status).toBe('reporting');
    const both = acknowledge(one, planning, new Date('2026-03-02T09:20:00Z'));
    expect(allReported(both)).toBe(true);
    expect(both.status).toBe('in_progress');
    expect(both.duties[1]).toMatchObject({
      acknowledgedAt: '2026-03-02T09:20:00.000Z',
      acknowledgedBy: planning.accountId,
    });
  });

  it('then coming on site needs a report first, and happens once', () => {
    const c = fresh();
    expect(refuseArrival(c, enforcement)).toMatchObject({
      kind: 'conflict',
      reason: expect.stringMatching(/report for duty first/),
    });
    const reported = acknowledge(c, enforcement, new Date('2026-03-02T07:10:00Z'));
    expect(refuseArrival(reported, enforcement)).toBeUndefined();
    const there = arrive(reported, enforcement, new Date('2026-03-02T08:00:00Z'));
    expect(there.duties[0]).toMatchObject({
      status: 'on_site',
      arrivedAt: '2026-03-02T08:00:00.000Z',
      clocks: { onSite: { metAt: '2026-03-02T08:00:00.000Z' } },
    });
    expect(refuseArrival(there, enforcement)).toMatchObject({ kind: 'conflict' });
    expect(refuseArrival(there, ecology)).toMatchObject({ kind: 'forbidden' });
  });

  it('then a breach marks only that department and that clock overdue, since its deadline', () => {
    const c = acknowledge(fresh(), enforcement, new Date('2026-03-02T07:10:00Z'));
    const clock = c.duties[1]!.clocks.acknowledge;
    const breach = milestones(clock, SLA_PRESETS.normal.acknowledge, SLA_PRESETS.normal, CN_CALENDAR).find(
      (m) => m.kind === 'breach',
    )!;
    const late = passMilestone(c, 'dept-planning', 'acknowledge', breach);
    expect(late.duties[1]!.clocks.acknowledge.overdueSince).toBe('2026-03-02T09:00:00.000Z');
    expect(late.duties[0]!.clocks.acknowledge.overdueSince).toBeUndefined();
    expect(isOverdue(late)).toBe(true);
    expect(isOverdue(acknowledge(late, planning, new Date('2026-03-02T09:10:00Z')))).toBe(false);
  });
});

describe('when someone reads a case', () => {
  it('then its township, its called departments and county-wide roles see it; nobody else does', () => {
    const c = fresh();
    expect(canSeeCase(c, township)).toBe(true);
    expect(canSeeCase(c, enforcement)).toBe(true);
    expect(canSeeCase(c, supervisor)).toBe(true);
    expect(canSeeCase(c, otherTownship)).toBe(false);
    expect(canSeeCase(c, ecology)).toBe(false);
  });

  it('then a department released by an upheld decline still reads it, takes no part, and stays in the list scope', () => {
    const c = fresh();
    const ruled = arbitrate(decline(c, planning, raisedAt, { reason: 'housing' }), supervisor, raisedAt, {
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: 'to housing',
      reassignTo: 'dept-housing',
    });
    expect(canSeeCase(ruled, planning)).toBe(true);
    expect(takesPart(ruled, planning)).toBe(false);
    expect(takesPart(ruled, enforcement)).toBe(true);
    expect(departmentsInScope(ruled).sort()).toEqual(['dept-enforcement', 'dept-housing', 'dept-planning']);
    expect(listScope(planning)).toEqual({ departmentId: 'dept-planning' });
    expect(listScope(supervisor)).toEqual({});
  });
});

describe('when a case would run past the data of the working calendar', () => {
  it('then it cannot be opened and the error says which date is missing', () => {
    // Friday 2027-12-31 16:00 Shanghai: on site within 1 working day needs January 2028
    const lateInTheYear = () => open(illegalConstruction(), new Date('2027-12-31T08:00:00.000Z'));
    expect(lateInTheYear).toThrow(CalendarRangeError);
    expect(lateInTheYear).toThrow(/2028-01-01/);
  });

  it('then a covered case lists every instant its clocks will speak: 3 warnings, the breach, 4 rungs, per clock and duty', () => {
    // two duties × (report for duty, on site), and the lead's resolve clock
    expect(scheduleOf(fresh())).toHaveLength((2 * 2 + 1) * 8);
  });
});
