/**
 * The lifecycle paths beyond reporting for duty, on the time-skipping test server with the real SLA
 * figures (domain/sla.ts presets): a suspension stops only its own department's clocks and moves
 * its deadlines on by the time paused; a decline keeps the decliner's clocks running until the
 * supervisor rules, on the supervisor's own clock; joint-enforcement steps each run on their own
 * clock, opening as their dependencies are done; a sent-back result and a reopened case give the
 * lead a fresh resolve limit; a re-inspection nobody answers counts as no recurrence; a long case
 * continues as new without losing state or a link of its audit chain; a withdrawn case falls silent.
 *
 * Time on the test server moves on in real time between skips, so an action "at T0+5min" happens a
 * few milliseconds after it: every instant the rules derive is asserted exactly from the instant
 * the case recorded for the action, and the action's own instant within a second of the plan.
 * Never await `result()` of an open case here: the server would skip years ahead to finish it.
 */
import { randomUUID } from 'node:crypto';
import type { ClockName } from '../../domain/duty-clock';
import type { Actor } from '../../domain/identity';
import { chain, firstBadEvent, firstBrokenLink, GENESIS_HASH, type ChainedEvent } from '../../store/audit-chain';
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { caseProjectionModel } from '../../store/case-projections';
import { recipientsOf } from '../../domain/notifications';
import { caseStateQuery, chainWitnessQuery } from '../../workflows/messages';
import type { WhistleCaseInput } from '../../workflows/whistle-case';
import { eventually } from '../support/eventually';
import { enforcement, illegalConstruction, planning, routingFor, supervisor, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { skippingTime } from '../support/skipping-time';
import type { DutyClock, PlannedStep, WhistleCase } from '../../domain/case/shape';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** how far past a planned instant an action or a timer may land (the server's clock runs on between skips) */
const SLACK = SECOND;

const harness = useHarness('time-skipping');
const { env, cases, raise, skipTo } = skippingTime(harness);

/** WJ-006 has no department for housing: it is the one a decline can rightly point at. */
const HOUSING = 'dept-housing';

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (instant: string | undefined) => {
  if (instant === undefined) throw new Error('no instant recorded');
  return Date.parse(instant);
};
const dutyOf = (c: WhistleCase, departmentId: string) => {
  const duty = c.duties.find((d) => d.departmentId === departmentId);
  if (!duty)
    throw new Error(
      `${departmentId} is not called on ${c.caseId} (duties: ${c.duties.map((d) => d.departmentId).join(', ')})`,
    );
  return duty;
};
const clockOf = (c: WhistleCase, departmentId: string, clock: ClockName): DutyClock =>
  dutyOf(c, departmentId).clocks[clock]!;

async function historyOf(caseId: string): Promise<ChainedEvent[]> {
  return caseHistory(auditEventModel(harness.db.connection), caseId);
}

/** A milestone as a short label: `duty.warned:0.5`, `step.escalated:reminder`. */
const label = (e: ChainedEvent) =>
  `${e.type}${e.data.fraction ? `:${String(e.data.fraction)}` : ''}${e.data.level ? `:${String(e.data.level)}` : ''}`;

/** The clock events of one department's duty clock. */
async function clockEvents(caseId: string, departmentId: string, clock: ClockName): Promise<ChainedEvent[]> {
  return (await historyOf(caseId)).filter(
    (e) => e.type.startsWith('duty.') && e.data.departmentId === departmentId && e.data.clock === clock,
  );
}

/** Asserts a timer event spoke at its instant (it cannot speak before; the server may run a few ms on). */
function spokeAt(e: ChainedEvent | undefined, at: number): void {
  expect(e).toBeDefined();
  expect(ms(e!.at) - at).toBeGreaterThanOrEqual(0);
  expect(ms(e!.at) - at).toBeLessThan(SLACK);
}

/** An action taken "at" a planned instant lands on it, give or take the server's running clock. */
function near(actual: number, planned: number): void {
  expect(actual - planned).toBeGreaterThanOrEqual(0);
  expect(actual - planned).toBeLessThan(SLACK);
}

/** Who the outbox addressed an event to: the receivers written for it, with their kind. */
/**
 * Who the recorded event goes to, by the outbox's own rule over the event as recorded and the case
 * (the outbox forgets a batch once it is delivered, so the rule is asked rather than the documents).
 */
async function receiversOf(e: ChainedEvent): Promise<{ id: string; kind: string }[]> {
  const c = await env().client.workflow.getHandle(e.caseId).query(caseStateQuery);
  return recipientsOf(e, c).map(({ id, kind }) => ({ id, kind }));
}

/** Polls describe(): awaiting result() of a workflow would let the test server skip time. */
async function completed(caseId: string): Promise<void> {
  await eventually(async () => {
    expect((await env().client.workflow.getHandle(caseId).describe()).status.name).toBe('COMPLETED');
  });
}

async function reportedAndOnSite(caseId: string): Promise<void> {
  for (const dept of [enforcement, planning]) await cases().act(caseId, 'acknowledge', { actor: dept });
  for (const dept of [enforcement, planning]) await cases().act(caseId, 'arrive', { actor: dept });
}

/** Everybody on site, the result reported and accepted, both ways rated: the case closes. */
async function driveToClosed(caseId: string): Promise<WhistleCase> {
  await reportedAndOnSite(caseId);
  await cases().act(caseId, 'resolve', {
    actor: enforcement,
    summary: '违建已拆除 / the shed is demolished',
    evidence: [],
  });
  await cases().act(caseId, 'verify', { actor: township, accept: true });
  return rateBothWays(caseId);
}

async function rateBothWays(caseId: string): Promise<WhistleCase> {
  const rated = (d: Actor) => ({ departmentId: d.orgUnitId!, speed: 5, attitude: 4, result: 5 });
  await cases().act(caseId, 'evaluate', { actor: township, ratings: [rated(enforcement), rated(planning)] });
  for (const dept of [enforcement, planning]) await cases().act(caseId, 'evaluate', { actor: dept, cooperation: 5 });
  return eventually(async () => {
    const c = await cases().state(caseId);
    expect(c.status).toBe('closed');
    expect(c.reinspection).toBeDefined();
    return c;
  });
}

/** The Update is refused before it reaches the history: the gateway answers as the API would. */
async function expectRefused(action: Promise<unknown>, status: number, detail?: RegExp): Promise<void> {
  await expect(action).rejects.toMatchObject({ status, ...(detail ? { message: expect.stringMatching(detail) } : {}) });
}

describe('when a department suspends its clocks with the supervisor’s approval', () => {
  it('then only its own clocks stand still, and resuming moves its deadlines on by exactly the time paused', async () => {
    const { caseId, raisedAt: t0 } = await raise('urgent');

    await skipTo(t0 + 5 * MINUTE);
    await cases().act(caseId, 'suspend', {
      actor: enforcement,
      reason: '等待上级审批 / waiting for the county planning approval',
    });
    const approved = await cases().act(caseId, 'decideSuspension', {
      actor: supervisor,
      departmentId: 'dept-enforcement',
      approve: true,
      note: 'approval is pending at the county',
    });
    const pausedAt = ms(dutyOf(approved, 'dept-enforcement').suspension?.decidedAt);
    near(pausedAt, t0 + 5 * MINUTE);
    expect(dutyOf(approved, 'dept-enforcement').suspension).toMatchObject({
      status: 'approved',
      decidedBy: supervisor.accountId,
    });
    for (const clock of ['acknowledge', 'onSite', 'resolve'] as const)
      expect(clockOf(approved, 'dept-enforcement', clock).pausedAt).toBe(iso(pausedAt));
    for (const clock of ['acknowledge', 'onSite'] as const)
      expect(clockOf(approved, 'dept-planning', clock).pausedAt).toBeUndefined();

    // planning never asked: its 30 minutes run out; enforcement's stand still (not even a warning)
    await skipTo(t0 + 40 * MINUTE);
    const mid = await eventually(async () => {
      const c = await cases().state(caseId);
      expect(clockOf(c, 'dept-planning', 'acknowledge').overdueSince).toBe(iso(t0 + 30 * MINUTE));
      return c;
    });
    expect(clockOf(mid, 'dept-enforcement', 'acknowledge')).toMatchObject({
      pausedAt: iso(pausedAt),
      deadline: iso(t0 + 30 * MINUTE),
      warned: [],
    });
    expect(clockOf(mid, 'dept-enforcement', 'acknowledge').overdueSince).toBeUndefined();
    await eventually(async () => {
      const planningAck = await clockEvents(caseId, 'dept-planning', 'acknowledge');
      expect(planningAck.map(label)).toEqual([
        'duty.warned:0.5',
        'duty.warned:0.75',
        'duty.warned:0.9',
        'duty.overdue',
        'duty.escalated:reminder',
      ]);
      spokeAt(planningAck[3], t0 + 30 * MINUTE);
    });
    for (const clock of ['acknowledge', 'onSite', 'resolve'] as const)
      expect(await clockEvents(caseId, 'dept-enforcement', clock)).toEqual([]);

    // resumed an hour after it stopped: every enforcement deadline moves on by the paused span
    await skipTo(pausedAt + 60 * MINUTE);
    const resumed = await cases().act(caseId, 'resume', { actor: enforcement });
    const ended = dutyOf(resumed, 'dept-enforcement').suspensions?.[0];
    expect(dutyOf(resumed, 'dept-enforcement').suspension).toBeUndefined();
    expect(ended).toMatchObject({ status: 'ended', resumedBy: enforcement.accountId });
    const resumedAt = ms(ended?.resumedAt);
    const paused = resumedAt - pausedAt;
    near(paused, 60 * MINUTE); // 3_600_000 ms, plus the few ms the server's clock ran on before the Update
    const ack = clockOf(resumed, 'dept-enforcement', 'acknowledge');
    expect(ack).toMatchObject({
      pausedMs: paused,
      countFrom: iso(t0 + paused),
      deadline: iso(t0 + 30 * MINUTE + paused),
    });
    expect(ack.pausedAt).toBeUndefined();
    expect(clockOf(resumed, 'dept-enforcement', 'onSite')).toMatchObject({
      pausedMs: paused,
      deadline: iso(t0 + 120 * MINUTE + paused),
    });
    expect(clockOf(resumed, 'dept-enforcement', 'resolve')).toMatchObject({
      pausedMs: paused,
      deadline: iso(t0 + 24 * HOUR + paused),
    });
    // planning's clocks are the ones they were
    expect(clockOf(resumed, 'dept-planning', 'onSite')).toMatchObject({ deadline: iso(t0 + 120 * MINUTE) });
    expect(clockOf(resumed, 'dept-planning', 'onSite').pausedMs).toBeUndefined();

    // ≈ T0+90min: enforcement's acknowledge clock breaches at exactly its new deadline
    const newDeadline = t0 + 30 * MINUTE + paused;
    await skipTo(newDeadline + MINUTE);
    await eventually(async () => {
      const c = await cases().state(caseId);
      expect(clockOf(c, 'dept-enforcement', 'acknowledge').overdueSince).toBe(iso(newDeadline));
    });
    await eventually(async () => {
      const events = await clockEvents(caseId, 'dept-enforcement', 'acknowledge');
      // the warnings are fractions of the running time: 15, 22.5, 27 minutes counted from countFrom
      expect(events.map(label)).toEqual([
        'duty.warned:0.5',
        'duty.warned:0.75',
        'duty.warned:0.9',
        'duty.overdue',
        'duty.escalated:reminder',
      ]);
      spokeAt(events[0], t0 + paused + 15 * MINUTE);
      spokeAt(events[3], newDeadline);
      expect(events[3]!.data).toMatchObject({ deadline: iso(newDeadline), rule: 'sla.urgent.acknowledge' });
    });
    const history = await historyOf(caseId);
    expect(history.filter((e) => e.type.startsWith('duty.s') || e.type === 'duty.resumed').map((e) => e.type)).toEqual([
      'duty.suspension-requested',
      'duty.suspension-decided',
      'duty.resumed',
    ]);
    expect(history.find((e) => e.type === 'duty.resumed')!.data).toMatchObject({ departmentId: 'dept-enforcement' });
  });
});

describe('when a co-operating department declines and the supervisor upholds it', () => {
  it('then its clocks ran on until the ruling, it is released excused, and the department ruled responsible is called on a fresh clock', async () => {
    const { caseId, raisedAt: t0 } = await raise('urgent');
    await cases().act(caseId, 'acknowledge', { actor: enforcement });

    await skipTo(t0 + 10 * MINUTE);
    const declined = await cases().act(caseId, 'decline', {
      actor: planning,
      reason: '临时建筑安全属住建职责 / building safety belongs to housing',
      suggestedDepartmentId: HOUSING,
    });
    const dispute = dutyOf(declined, 'dept-planning').dispute!;
    const declinedAt = ms(dispute.declinedAt);
    near(declinedAt, t0 + 10 * MINUTE);
    expect(dispute).toMatchObject({
      departmentId: 'dept-planning',
      suggestedDepartmentId: HOUSING,
      declinedBy: planning.accountId,
    });
    expect(dispute.clock).toMatchObject({ startedAt: iso(declinedAt), deadline: iso(declinedAt + 2 * HOUR) });

    // a decline is no pause: planning's acknowledge clock breaches at T0+30min as if it had said nothing
    await skipTo(t0 + 31 * MINUTE);
    await eventually(async () => {
      const c = await cases().state(caseId);
      expect(clockOf(c, 'dept-planning', 'acknowledge').overdueSince).toBe(iso(t0 + 30 * MINUTE));
    });

    await skipTo(t0 + 45 * MINUTE);
    const ruled = await cases().act(caseId, 'arbitrate', {
      actor: supervisor,
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: '按清单由住建承担 / by the list, housing',
      reassignTo: HOUSING,
    });
    const ruledAt = ms(ruled.disputes?.[0]?.ruling?.at);
    near(ruledAt, t0 + 45 * MINUTE);

    expect(ruled.duties.map((d) => d.departmentId)).toEqual(['dept-enforcement', HOUSING]);
    expect(ruled.releasedDuties).toEqual([
      expect.objectContaining({
        departmentId: 'dept-planning',
        role: 'cooperating',
        excused: true,
        releasedAt: iso(ruledAt),
      }),
    ]);
    // its lateness stays on record, excused
    expect(ruled.releasedDuties![0]!.clocks.acknowledge).toMatchObject({ overdueSince: iso(t0 + 30 * MINUTE) });
    expect(ruled.releasedDuties![0]!.dispute).toBeUndefined();
    const housing = dutyOf(ruled, HOUSING);
    expect(housing).toMatchObject({ role: 'cooperating', status: 'called', calledAt: iso(ruledAt) });
    expect(housing.clocks.acknowledge).toEqual({
      startedAt: iso(ruledAt),
      deadline: iso(ruledAt + 30 * MINUTE),
      warned: [],
    });
    expect(housing.clocks.onSite).toEqual({ startedAt: iso(ruledAt), deadline: iso(ruledAt + 2 * HOUR), warned: [] });
    expect(housing.clocks.resolve).toBeUndefined();
    expect(ruled.disputes).toEqual([
      expect.objectContaining({
        departmentId: 'dept-planning',
        suggestedDepartmentId: HOUSING,
        clock: expect.objectContaining({ metAt: iso(ruledAt) }),
        ruling: expect.objectContaining({
          decision: 'uphold',
          reassignTo: HOUSING,
          by: supervisor.accountId,
          at: iso(ruledAt),
        }),
      }),
    ]);
    expect(ruled.status).toBe('reporting');

    // the department ruled responsible has 30 minutes from the ruling; planning's clocks fell silent
    await skipTo(ruledAt + 31 * MINUTE);
    await eventually(async () => {
      const c = await cases().state(caseId);
      expect(clockOf(c, HOUSING, 'acknowledge').overdueSince).toBe(iso(ruledAt + 30 * MINUTE));
    });
    await eventually(async () => {
      const history = await historyOf(caseId);
      const ruling = history.find((e) => e.type === 'dispute.ruled')!;
      expect(ruling).toMatchObject({
        actor: supervisor,
        data: { departmentId: 'dept-planning', decision: 'uphold', reassignTo: HOUSING },
      });
      const planningOverdue = history.find(
        (e) => e.type === 'duty.overdue' && e.data.departmentId === 'dept-planning' && e.data.clock === 'acknowledge',
      );
      spokeAt(planningOverdue, t0 + 30 * MINUTE);
      expect(planningOverdue!.seq).toBeLessThan(ruling.seq);
      // nothing of planning's after the ruling: its department_head rung (T0+60min) never came
      expect(history.filter((e) => e.seq > ruling.seq && e.data.departmentId === 'dept-planning')).toEqual([]);
      // the arbitration clock stopped at the ruling, before its first warning (1 h after the decline)
      expect(history.filter((e) => e.type.startsWith('dispute.') && e.type !== 'dispute.ruled')).toEqual([]);
      const housingAck = history.filter((e) => e.data.departmentId === HOUSING && e.data.clock === 'acknowledge');
      expect(housingAck.map(label)).toEqual([
        'duty.warned:0.5',
        'duty.warned:0.75',
        'duty.warned:0.9',
        'duty.overdue',
        'duty.escalated:reminder',
      ]);
      spokeAt(housingAck[0], ruledAt + 15 * MINUTE);
      spokeAt(housingAck[3], ruledAt + 30 * MINUTE);
    });
    expect(await caseProjectionModel(harness.db.connection).findById(caseId).lean()).toMatchObject({
      reassignCount: 1,
      disputeCount: 1,
    });
  });
});

describe('when the supervisor leaves a decline unruled past the arbitration limit', () => {
  it('then the dispute is overdue at exactly 2 hours on an urgent case, escalates, and the ladder stops at the ruling', async () => {
    const { caseId, raisedAt: t0 } = await raise('urgent');
    await reportedAndOnSite(caseId);

    await skipTo(t0 + 5 * MINUTE);
    const declined = await cases().act(caseId, 'decline', {
      actor: planning,
      reason: 'not a planning matter / 非规划职责',
    });
    const declinedAt = ms(dutyOf(declined, 'dept-planning').dispute?.declinedAt);
    const limit = declinedAt + 2 * HOUR;

    await skipTo(limit + 5 * MINUTE);
    const late = await eventually(async () => {
      const c = await cases().state(caseId);
      expect(dutyOf(c, 'dept-planning').dispute?.clock).toMatchObject({
        overdueSince: iso(limit),
        escalation: 'reminder',
        warned: [0.5, 0.75, 0.9],
      });
      return c;
    });
    expect(late.status).toBe('in_progress');
    await eventually(async () => {
      const events = (await historyOf(caseId)).filter((e) => e.type.startsWith('dispute.'));
      expect(events.map(label)).toEqual([
        'dispute.warned:0.5',
        'dispute.warned:0.75',
        'dispute.warned:0.9',
        'dispute.overdue',
        'dispute.escalated:reminder',
      ]);
      spokeAt(events[0], declinedAt + HOUR);
      spokeAt(events[3], limit);
      expect(events[3]!.data).toMatchObject({
        departmentId: 'dept-planning',
        clock: 'arbitrate',
        rule: 'sla.urgent.arbitrate',
        deadline: iso(limit),
        limit: { amount: 2, unit: 'hour' },
      });
      expect(events[4]!.data).toMatchObject({ level: 'reminder', notify: ['department'] });
    });

    // rejected: planning stays on the case; the arbitration clock is met and speaks no more
    const ruled = await cases().act(caseId, 'arbitrate', {
      actor: supervisor,
      departmentId: 'dept-planning',
      decision: 'reject',
      note: '清单列明规划配合 / the list names planning',
    });
    const ruledAt = ms(ruled.disputes?.[0]?.ruling?.at);
    expect(dutyOf(ruled, 'dept-planning').dispute).toBeUndefined();
    expect(ruled.releasedDuties).toBeUndefined();
    expect(ruled.disputes?.[0]).toMatchObject({
      ruling: { decision: 'reject' },
      clock: { metAt: iso(ruledAt), overdueSince: iso(limit) },
    });
    await skipTo(limit + 3 * HOUR); // the department_head rung would have come at +30 min
    await eventually(async () => {
      const history = await historyOf(caseId);
      expect(history.filter((e) => e.type.startsWith('dispute.')).map(label)).toEqual([
        'dispute.warned:0.5',
        'dispute.warned:0.75',
        'dispute.warned:0.9',
        'dispute.overdue',
        'dispute.escalated:reminder',
        'dispute.ruled',
      ]);
    });
  });
});

describe('when the arbitration clock speaks', () => {
  it('then it speaks to the supervision office, whose clock it is, not to the department waiting for the ruling', async () => {
    const { caseId } = await raise('urgent');
    await reportedAndOnSite(caseId);
    const declined = await cases().act(caseId, 'decline', {
      actor: planning,
      reason: 'not a planning matter / 非规划职责',
    });
    const limit = ms(dutyOf(declined, 'dept-planning').dispute?.clock.deadline);
    await skipTo(limit + MINUTE);
    const events = await eventually(async () => {
      const found = (await historyOf(caseId)).filter(
        (e) => e.type === 'dispute.warned' || e.type === 'dispute.overdue' || e.type === 'dispute.escalated',
      );
      expect(found.map(label)).toEqual([
        'dispute.warned:0.5',
        'dispute.warned:0.75',
        'dispute.warned:0.9',
        'dispute.overdue',
        'dispute.escalated:reminder',
      ]);
      return found;
    });
    // the ruling is late, not planning: the office that has to rule must hear of it first
    for (const e of events) {
      await eventually(
        async () => expect(await receiversOf(e)).toContainEqual({ id: 'supervision-office', kind: 'county_office' }),
        3_000,
      );
    }
  });
});

describe('when the lead plans joint enforcement in steps', () => {
  it('then parallel steps run on clocks from the plan, a late one is overdue at its deadline, the dependent step opens at the completion, and resolve waits for all', async () => {
    const { caseId, raisedAt: t0 } = await raise('urgent');
    await reportedAndOnSite(caseId);

    const twoHours = { amount: 2, unit: 'hour' } as const;
    const steps: PlannedStep[] = [
      {
        key: 'inspect',
        title: '现场勘查 / site inspection',
        kind: 'inspection',
        assignee: { kind: 'department', departmentId: 'dept-enforcement' },
        limit: twoHours,
        dependsOn: [],
      },
      {
        key: 'survey',
        title: '规划核实 / planning survey',
        kind: 'evidence',
        assignee: { kind: 'department', departmentId: 'dept-planning' },
        limit: twoHours,
        dependsOn: [],
      },
      {
        key: 'notice',
        title: '责令限期拆除 / rectification notice',
        kind: 'rectification_notice',
        assignee: { kind: 'department', departmentId: 'dept-enforcement' },
        limit: twoHours,
        dependsOn: ['inspect', 'survey'],
      },
    ];
    await skipTo(t0 + 10 * MINUTE);
    const planned = await cases().act(caseId, 'plan', { actor: enforcement, steps });
    const plannedAt = ms(planned.plan?.plannedAt);
    near(plannedAt, t0 + 10 * MINUTE);
    const step = (c: WhistleCase, key: string) => c.plan!.steps.find((s) => s.key === key)!;
    for (const key of ['inspect', 'survey']) {
      expect(step(planned, key)).toMatchObject({
        status: 'open',
        clock: { startedAt: iso(plannedAt), deadline: iso(plannedAt + 2 * HOUR), warned: [] },
      });
    }
    expect(step(planned, 'notice').status).toBe('waiting');
    expect(step(planned, 'notice').clock).toBeUndefined();

    await skipTo(plannedAt + 30 * MINUTE);
    await cases().act(caseId, 'completeStep', {
      actor: planning,
      key: 'survey',
      note: '无规划许可 / no planning permit',
      evidence: [],
    });
    await expectRefused(
      cases().act(caseId, 'resolve', { actor: enforcement, summary: 'too early', evidence: [] }),
      409,
      /inspect, notice/,
    );

    // the inspection is late: overdue at exactly its deadline, with the reminder rung at the breach
    const inspectDeadline = plannedAt + 2 * HOUR;
    await skipTo(inspectDeadline + MINUTE);
    await eventually(async () => {
      const c = await cases().state(caseId);
      expect(step(c, 'inspect').clock).toMatchObject({ overdueSince: iso(inspectDeadline), escalation: 'reminder' });
    });
    await eventually(async () => {
      const events = (await historyOf(caseId)).filter((e) => e.type.startsWith('step.') && e.type !== 'step.completed');
      expect(events.map((e) => `${e.data.step as string}:${label(e)}`)).toEqual([
        'inspect:step.warned:0.5',
        'inspect:step.warned:0.75',
        'inspect:step.warned:0.9',
        'inspect:step.overdue',
        'inspect:step.escalated:reminder',
      ]);
      spokeAt(events[0], plannedAt + HOUR);
      spokeAt(events[3], inspectDeadline);
      expect(events[3]!.data).toMatchObject({
        departmentId: 'dept-enforcement',
        clock: 'step',
        rule: 'plan.step.inspect',
        deadline: iso(inspectDeadline),
        limit: twoHours,
      });
      expect(events[4]!.data).toMatchObject({ level: 'reminder', notify: ['department'] });
    });

    await skipTo(inspectDeadline + 5 * MINUTE);
    const inspected = await cases().act(caseId, 'completeStep', {
      actor: enforcement,
      key: 'inspect',
      note: '已勘查 / inspected',
      evidence: [],
    });
    const completedAt = ms(step(inspected, 'inspect').completedAt);
    expect(step(inspected, 'inspect').clock).toMatchObject({
      metAt: iso(completedAt),
      overdueSince: iso(inspectDeadline),
    });
    expect(step(inspected, 'notice')).toMatchObject({
      status: 'open',
      clock: { startedAt: iso(completedAt), deadline: iso(completedAt + 2 * HOUR), warned: [] },
    });
    await expectRefused(
      cases().act(caseId, 'resolve', { actor: enforcement, summary: 'still early', evidence: [] }),
      409,
      /notice/,
    );

    // the inspection's ladder stopped at its first rung (department_head would be at +30 min)
    await skipTo(inspectDeadline + 40 * MINUTE);
    expect(step(await cases().state(caseId), 'inspect').clock?.escalation).toBe('reminder');
    await cases().act(caseId, 'completeStep', {
      actor: enforcement,
      key: 'notice',
      note: '已送达 / served',
      evidence: [],
    });
    const resolved = await cases().act(caseId, 'resolve', {
      actor: enforcement,
      summary: '按通知拆除 / demolished as noticed',
      evidence: [],
    });
    expect(resolved.status).toBe('awaiting_verification');
    await eventually(async () => {
      const history = await historyOf(caseId);
      expect(
        history
          .filter((e) => e.type.startsWith('step.') || e.type === 'plan.made')
          .map(
            (e) =>
              `${e.type}${e.data.step ? `:${e.data.step as string}` : ''}${e.data.key ? `:${e.data.key as string}` : ''}`,
          ),
      ).toEqual([
        'plan.made',
        'step.completed:survey',
        'step.warned:inspect',
        'step.warned:inspect',
        'step.warned:inspect',
        'step.overdue:inspect',
        'step.escalated:inspect',
        'step.completed:inspect',
        'step.completed:notice',
      ]);
    });
  });
});

describe('when a step of the plan is assigned to a module of the township', () => {
  it('then its clock runs from the plan, and it speaks to the township as a township', async () => {
    const { caseId } = await raise('urgent');
    await reportedAndOnSite(caseId);
    const planned = await cases().act(caseId, 'plan', {
      actor: enforcement,
      steps: [
        {
          key: 'cordon',
          title: '现场管控 / cordon the site',
          kind: 'other',
          assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'safety' },
          limit: { amount: 1, unit: 'hour' },
          dependsOn: [],
        },
      ],
    });
    const plannedAt = ms(planned.plan?.plannedAt);
    expect(planned.plan!.steps[0]).toMatchObject({
      status: 'open',
      clock: { startedAt: iso(plannedAt), deadline: iso(plannedAt + HOUR) },
    });
    await skipTo(plannedAt + HOUR + MINUTE);
    const overdue = await eventually(async () => {
      const found = (await historyOf(caseId)).find((e) => e.type === 'step.overdue');
      spokeAt(found, plannedAt + HOUR);
      return found!;
    });
    expect(overdue.data).toMatchObject({ step: 'cordon', rule: 'plan.step.cordon', deadline: iso(plannedAt + HOUR) });
    // a township is no department: addressed as one, its own webhook would never be looked up
    await eventually(
      async () => expect(await receiversOf(overdue)).toEqual([{ id: 'tw-nanpuxi', kind: 'township' }]),
      3_000,
    );
    await cases().act(caseId, 'completeStep', {
      actor: township,
      key: 'cordon',
      note: '已设警戒 / cordoned',
      evidence: [],
    });
  });
});

describe('when the township sends a reported result back', () => {
  it('then the lead answers for the result again on a fresh resolve limit from the send-back', async () => {
    const { caseId } = await raise('urgent');
    await reportedAndOnSite(caseId);
    const resolved = await cases().act(caseId, 'resolve', {
      actor: enforcement,
      summary: '已拆除 / demolished',
      evidence: [],
    });
    expect(clockOf(resolved, 'dept-enforcement', 'resolve').metAt).toBe(resolved.resolution!.resolvedAt);

    await skipTo(ms(resolved.resolution!.resolvedAt) + HOUR);
    const back = await cases().act(caseId, 'verify', {
      actor: township,
      accept: false,
      reason: '地基未清除 / the foundation is still there',
    });
    const rejectedAt = ms(back.verifications![0]!.at);
    expect(back.status).toBe('in_progress');
    expect(back.resolution).toBeUndefined();
    expect(clockOf(back, 'dept-enforcement', 'resolve')).toEqual({
      startedAt: iso(rejectedAt),
      deadline: iso(rejectedAt + 24 * HOUR),
      warned: [],
    });

    // the fresh limit speaks: 24 wall-clock hours from the send-back
    await skipTo(rejectedAt + 24 * HOUR + MINUTE);
    await eventually(async () => {
      const c = await cases().state(caseId);
      expect(clockOf(c, 'dept-enforcement', 'resolve').overdueSince).toBe(iso(rejectedAt + 24 * HOUR));
    });
    await eventually(async () => {
      const events = await clockEvents(caseId, 'dept-enforcement', 'resolve');
      expect(events.map(label)).toEqual([
        'duty.warned:0.5',
        'duty.warned:0.75',
        'duty.warned:0.9',
        'duty.overdue',
        'duty.escalated:reminder',
      ]);
      spokeAt(events[0], rejectedAt + 12 * HOUR);
      spokeAt(events[3], rejectedAt + 24 * HOUR);
      expect(events[3]!.data).toMatchObject({ rule: 'sla.urgent.resolve', deadline: iso(rejectedAt + 24 * HOUR) });
    });
  });
});

describe('when the township finds the problem back at the re-inspection', () => {
  it('then the case reopens to its lead on a fresh resolve limit, the closed round kept on record', async () => {
    const { caseId } = await raise('urgent');
    const closed = await driveToClosed(caseId);
    expect(closed.routing.matter?.reinspectionDays).toBe(30); // WJ-006 on the demo list
    const closedAt = ms(closed.evaluation?.closedAt);
    expect(closed.evaluation?.closedBySilence).toBe(false);
    // urgent: the township answers within 24 wall-clock hours of the due date
    expect(closed.reinspection).toEqual({ dueAt: iso(closedAt + 30 * DAY), answerBy: iso(closedAt + 31 * DAY) });
    await eventually(async () => {
      const armed = (await historyOf(caseId)).find((e) => e.type === 'reinspection.armed');
      expect(armed?.data).toMatchObject({
        dueAt: iso(closedAt + 30 * DAY),
        days: 30,
        rule: 'matter.WJ-006.reinspection',
      });
    });

    // answered early, ten days on: built again
    await skipTo(closedAt + 10 * DAY);
    await expectRefused(
      cases().act(caseId, 'reinspect', { actor: enforcement, recurred: true, note: 'not mine to say' }),
      403,
    );
    const reopened = await cases().act(caseId, 'reinspect', {
      actor: township,
      recurred: true,
      note: '原址又搭了棚 / a shed is back on the spot',
    });
    expect(reopened.status).toBe('in_progress');
    expect(reopened.resolution).toBeUndefined();
    expect(reopened.evaluation).toBeUndefined();
    expect(reopened.reinspection).toBeUndefined();
    expect(reopened.previousRounds).toHaveLength(1);
    const round = reopened.previousRounds![0]!;
    expect(round.resolution).toMatchObject({
      summary: closed.resolution!.summary,
      resolvedAt: closed.resolution!.resolvedAt,
    });
    expect(round.evaluation).toMatchObject({ closedAt: iso(closedAt), byTownship: expect.any(Object) });
    expect(round.reinspection).toMatchObject({
      dueAt: iso(closedAt + 30 * DAY),
      recurred: true,
      silent: false,
      answeredBy: township.accountId,
    });
    const answeredAt = ms(round.reinspection?.answeredAt);
    near(answeredAt, closedAt + 10 * DAY);
    expect(clockOf(reopened, 'dept-enforcement', 'resolve')).toEqual({
      startedAt: iso(answeredAt),
      deadline: iso(answeredAt + 24 * HOUR),
      warned: [],
    });

    await eventually(async () => {
      const history = await historyOf(caseId);
      const answered = history.find((e) => e.type === 'reinspection.answered')!;
      const reopening = history.find((e) => e.type === 'case.reopened')!;
      expect(answered).toMatchObject({ actor: township, data: { recurred: true } });
      expect(reopening).toMatchObject({
        actor: { accountId: 'system' },
        at: iso(answeredAt),
        data: { leadDepartmentId: 'dept-enforcement', reinspection: { recurred: true, answeredAt: iso(answeredAt) } },
      });
      expect(reopening.seq).toBe(answered.seq + 1);
    });

    // the reopened lead's limit speaks like any other: half of it gone, the first warning
    await skipTo(answeredAt + 12 * HOUR + MINUTE);
    await eventually(async () => {
      const events = await clockEvents(caseId, 'dept-enforcement', 'resolve');
      expect(events.map(label)).toEqual(['duty.warned:0.5']);
      spokeAt(events[0], answeredAt + 12 * HOUR);
      expect(events[0]!.data).toMatchObject({ deadline: iso(answeredAt + 24 * HOUR) });
    });

    // the second round closes like the first, and a new re-inspection is armed from its close
    await cases().act(caseId, 'resolve', {
      actor: enforcement,
      summary: '再次拆除 / demolished again',
      evidence: [],
    });
    await cases().act(caseId, 'verify', { actor: township, accept: true });
    const again = await rateBothWays(caseId);
    const closedAgain = ms(again.evaluation?.closedAt);
    expect(again.reinspection).toEqual({ dueAt: iso(closedAgain + 30 * DAY), answerBy: iso(closedAgain + 31 * DAY) });
    expect(again.previousRounds).toHaveLength(1);
  });
});

describe('when nobody answers the re-inspection', () => {
  it('then it is due at 30 days, silence past the answer limit counts as no recurrence, and the case ends', async () => {
    const { caseId } = await raise('urgent');
    const closed = await driveToClosed(caseId);
    const dueAt = ms(closed.reinspection?.dueAt);
    const answerBy = ms(closed.reinspection?.answerBy);
    expect(dueAt - ms(closed.evaluation?.closedAt)).toBe(30 * DAY);

    await skipTo(dueAt - MINUTE);
    expect((await historyOf(caseId)).filter((e) => e.type === 'reinspection.due')).toEqual([]);
    await skipTo(dueAt + MINUTE);
    await eventually(async () => {
      const due = (await historyOf(caseId)).find((e) => e.type === 'reinspection.due');
      spokeAt(due, dueAt);
      expect(due!.data).toMatchObject({ dueAt: iso(dueAt), answerBy: iso(answerBy), notify: ['tw-nanpuxi'] });
    });
    expect((await cases().state(caseId)).status).toBe('closed');

    await skipTo(answerBy + MINUTE);
    await completed(caseId);
    const final: WhistleCase = await env().client.workflow.getHandle(caseId).result(); // completed: safe to await
    expect(final.status).toBe('closed');
    expect(final.reinspection).toMatchObject({ answeredBy: 'system', recurred: false, silent: true });
    near(ms(final.reinspection?.answeredAt), answerBy);
    const history = await historyOf(caseId);
    const answered = history.find((e) => e.type === 'reinspection.answered');
    spokeAt(answered, answerBy);
    expect(answered).toMatchObject({
      actor: { accountId: 'system', role: 'system' },
      data: { recurred: false, silent: true, answerBy: iso(answerBy) },
    });
    expect(history.at(-1)!.type).toBe('reinspection.answered');
    expect(firstBrokenLink(history)).toBeUndefined();
  });
});

// before continue-as-new: its long run of Updates leaves the time-skipping server slow to answer one
describe('when the township withdraws the whistle', () => {
  it('then the case is withdrawn, the workflow ends, and no clock speaks afterwards', async () => {
    const { caseId, raisedAt: t0 } = await raise('urgent');
    await cases().act(caseId, 'acknowledge', { actor: enforcement });

    await skipTo(t0 + 10 * MINUTE);
    await expectRefused(cases().act(caseId, 'withdraw', { actor: enforcement, reason: 'not ours' }), 403);
    const withdrawn = await cases().act(caseId, 'withdraw', {
      actor: township,
      reason: '误报，已自行拆除 / raised by mistake, the owner removed it',
    });
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.withdrawal).toMatchObject({
      by: township.accountId,
      reason: expect.stringContaining('raised by mistake'),
    });
    near(ms(withdrawn.withdrawal?.at), t0 + 10 * MINUTE);
    await completed(caseId);

    // past every deadline of both departments (planning's 30 min, the 2 h on site, the lead's 24 h)
    await skipTo(t0 + 30 * HOUR);
    // the ended workflow takes no action (the real server answers "already completed" → 409; the
    // time-skipping server answers "update … not found", which the gateway reads as 404)
    await expect(cases().act(caseId, 'acknowledge', { actor: planning })).rejects.toMatchObject({
      status: expect.any(Number),
    });
    expect(await cases().state(caseId)).toMatchObject({
      status: 'withdrawn',
      duties: [expect.objectContaining({ status: 'acknowledged' }), expect.objectContaining({ status: 'called' })],
    });
    const history = await historyOf(caseId);
    expect(history.map((e) => e.type)).toEqual(['whistle.raised', 'duty.acknowledged', 'case.withdrawn']);
    expect(history.at(-1)).toMatchObject({
      actor: township,
      data: { reason: expect.stringContaining('raised by mistake') },
    });
    expect(await caseProjectionModel(harness.db.connection).findById(caseId).lean()).toMatchObject({
      status: 'withdrawn',
      lastSeq: 3,
    });
  });
});

describe('when a long case continues as new', () => {
  it('then the next run carries the state and the audit chain on, with every event once, and clocks do not repeat a milestone', async () => {
    const caseId = `case-${randomUUID()}`;
    const t0 = await env().currentTimeMs();
    const whistle = illegalConstruction({ urgency: 'urgent' });
    const input: WhistleCaseInput = {
      caseId,
      raise: whistle,
      raisedBy: township,
      raisedAt: iso(t0),
      routing: routingFor(whistle),
      historyLimit: 60,
    };
    const first = await env().client.workflow.start('whistleCase', {
      workflowId: caseId,
      taskQueue: harness.stack.taskQueue,
      args: [input],
    });
    const firstRunId = first.firstExecutionRunId;
    const runId = async () => (await env().client.workflow.getHandle(caseId).describe()).runId;

    await cases().act(caseId, 'acknowledge', { actor: enforcement });
    // progress notes, one after another, until the first run hands over (each Update costs ~20 history events)
    let notes = 0;
    while ((await runId()) === firstRunId && notes < 40) {
      await cases().act(caseId, 'progress', {
        actor: notes % 2 ? enforcement : township,
        note: `进展 ${notes} / progress ${notes}`,
        evidence: [],
      });
      notes += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(async () => expect(await runId()).not.toBe(firstRunId));
    expect(notes).toBeGreaterThan(0);
    const carried = await cases().state(caseId);
    expect(carried.progress ?? []).toHaveLength(notes);
    expect(dutyOf(carried, 'dept-enforcement').status).toBe('acknowledged');
    expect(clockOf(carried, 'dept-planning', 'acknowledge')).toMatchObject({
      startedAt: iso(t0),
      deadline: iso(t0 + 30 * MINUTE),
      warned: [],
    });

    // the runs to come warn on time, each warning once (time skips make history too: more runs)
    await skipTo(t0 + 28 * MINUTE);
    await eventually(async () => {
      expect(clockOf(await cases().state(caseId), 'dept-planning', 'acknowledge').warned).toEqual([0.5, 0.75, 0.9]);
    });

    // the next run's clocks pick up where the first stopped: the breach once, no warning again
    await skipTo(t0 + 31 * MINUTE);
    await eventually(async () => {
      expect(clockOf(await cases().state(caseId), 'dept-planning', 'acknowledge').overdueSince).toBe(
        iso(t0 + 30 * MINUTE),
      );
    });
    await cases().act(caseId, 'acknowledge', { actor: planning });
    for (const dept of [enforcement, planning]) await cases().act(caseId, 'arrive', { actor: dept });
    for (let i = 0; i < 8; i++)
      await cases().act(caseId, 'progress', { actor: planning, note: `之后 ${i} / after ${i}`, evidence: [] });
    const resolved = await cases().act(caseId, 'resolve', {
      actor: enforcement,
      summary: '已拆除 / demolished',
      evidence: [],
    });
    expect(resolved.status).toBe('awaiting_verification');
    expect(resolved.progress).toHaveLength(notes + 8);
    expect(resolved.duties.every((d) => d.status === 'on_site')).toBe(true);
    expect(resolved.raisedAt).toBe(iso(t0));

    await eventually(async () => {
      const history = await historyOf(caseId);
      const n = history.length;
      expect(await caseProjectionModel(harness.db.connection).findById(caseId).lean()).toMatchObject({
        lastSeq: n,
        status: 'awaiting_verification',
      });
      expect(history.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(await auditEventModel(harness.db.connection).countDocuments({ caseId })).toBe(n);
      expect(firstBrokenLink(history)).toBeUndefined();
      const continued = history.filter((e) => e.type === 'case.continued');
      expect(continued.length).toBeGreaterThanOrEqual(2);
      expect(continued[0]!.data.runId).toBe(firstRunId);
      expect(history.filter((e) => e.type === 'whistle.raised')).toHaveLength(1);
      expect(history.filter((e) => e.type === 'case.progress')).toHaveLength(notes + 8);
      expect(history.at(-1)!.type).toBe('case.resolved');
      // no milestone spoken twice across the runs
      const milestones = history
        .filter((e) => /^duty\.(warned|overdue|escalated)$/.test(e.type))
        .map((e) => `${e.data.departmentId as string}:${e.data.clock as string}:${label(e)}`);
      expect(new Set(milestones).size).toBe(milestones.length);
      expect(milestones.filter((m) => m.startsWith('dept-planning:acknowledge:'))).toEqual([
        'dept-planning:acknowledge:duty.warned:0.5',
        'dept-planning:acknowledge:duty.warned:0.75',
        'dept-planning:acknowledge:duty.warned:0.9',
        'dept-planning:acknowledge:duty.overdue',
        'dept-planning:acknowledge:duty.escalated:reminder',
      ]);
      const planningAck = history.filter(
        (e) => e.data.departmentId === 'dept-planning' && e.data.clock === 'acknowledge',
      );
      spokeAt(planningAck[0], t0 + 15 * MINUTE);
      spokeAt(planningAck[3], t0 + 30 * MINUTE);
    });

    // the last run still holds the workflow's own hash of every event since the first run, so a
    // rewrite of an event of the first run, rehashed onwards, is named at its seq
    await eventually(async () => {
      const witness = await env().client.workflow.getHandle(caseId).query(chainWitnessQuery);
      const history = await historyOf(caseId);
      expect(witness).toMatchObject({ from: 1, recordedSeq: history.length });
      expect(firstBadEvent(history, witness)).toBeUndefined();
      let prev = GENESIS_HASH;
      const rehashed = history.map((e) => {
        const linked = chain(e.seq === 3 ? { ...e, data: { ...e.data, note: '改写' } } : e, prev);
        prev = linked.hash;
        return linked;
      });
      expect(firstBadEvent(rehashed, witness)?.seq).toBe(3);
    });
  });
});
