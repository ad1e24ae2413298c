import {
  completeStep,
  openStepClocks,
  passStepMilestone,
  plan,
  planDone,
  refuseCompleteStep,
  refusePlan,
} from '../../domain/enforcement-plan';
import { openCase } from '../../domain/whistle';
import {
  ecology,
  enforcement,
  illegalConstruction,
  otherTownship,
  planning,
  routingFor,
  township,
} from '../support/fixtures';
import type { PlannedStep, Evidence, WhistleCase } from '../../domain/case/shape';
import { acknowledge } from '../../domain/report-for-duty';

// Shanghai is UTC+8. The whistle: Monday 2026-03-02 15:00; the lead (enforcement) reports at 15:10.
const raisedAt = new Date('2026-03-02T07:00:00.000Z');
const plannedAt = new Date('2026-03-03T02:00:00.000Z'); // Tue 10:00
const iso = (d: Date) => d.toISOString();

function reported(): WhistleCase {
  const raise = illegalConstruction();
  return acknowledge(
    openCase('case-1', raise, township, raisedAt, routingFor(raise)),
    enforcement,
    new Date('2026-03-02T07:10:00.000Z'),
  );
}

const step = (
  key: string,
  assignee: PlannedStep['assignee'],
  dependsOn: string[] = [],
  limit: PlannedStep['limit'] = { amount: 1, unit: 'working_day' },
): PlannedStep => ({
  key,
  title: `${key} / 步骤`,
  kind: 'other',
  assignee,
  limit,
  dependsOn,
});
const dept = (departmentId: string) => ({ kind: 'department' as const, departmentId });
const townshipModule = (name: string) => ({ kind: 'township' as const, townshipId: 'tw-nanpuxi', module: name });

// inspection and evidence in parallel; the notice waits for both; the penalty for the notice
const steps = (): PlannedStep[] => [
  step('inspection', dept('dept-enforcement')),
  step('evidence', townshipModule('comprehensive-enforcement'), [], { amount: 2, unit: 'working_day' }),
  step('notice', dept('dept-planning'), ['inspection', 'evidence']),
  step('penalty', dept('dept-enforcement'), ['notice']),
];
const photo: Evidence = { kind: 'photo', uri: 'https://files.example/p1.jpg', sha256: 'a'.repeat(64) };
const done = (key: string, note = 'done / 完成') => ({ key, note, evidence: [photo] });
const planned = () => plan(reported(), enforcement, plannedAt, { steps: steps() });
const statusOf = (c: WhistleCase) => Object.fromEntries(c.plan!.steps.map((s) => [s.key, s.status]));

describe('when the lead department plans joint enforcement', () => {
  it('then steps without dependencies open together, on clocks from the planning instant', () => {
    const c = planned();
    expect(statusOf(c)).toEqual({ inspection: 'open', evidence: 'open', notice: 'waiting', penalty: 'waiting' });
    expect(openStepClocks(c).map((o) => [o.key, o.clock.startedAt])).toEqual([
      ['inspection', iso(plannedAt)],
      ['evidence', iso(plannedAt)],
    ]);
    expect(c.plan).toMatchObject({
      revision: 1,
      plannedAt: iso(plannedAt),
      plannedBy: enforcement.accountId,
      reasons: [],
    });
    expect(planDone(c)).toBe(false);
  });

  it('then only the lead department may plan, and only after reporting for duty', () => {
    expect(refusePlan(reported(), planning, { steps: steps() })).toMatchObject({ kind: 'forbidden' });
    expect(refusePlan(reported(), township, { steps: steps() })).toMatchObject({ kind: 'forbidden' });
    const raise = illegalConstruction();
    const unreported = openCase('case-1', raise, township, raisedAt, routingFor(raise));
    expect(refusePlan(unreported, enforcement, { steps: steps() })).toMatchObject({
      kind: 'conflict',
      reason: expect.stringMatching(/report for duty/),
    });
    expect(refusePlan(reported(), enforcement, { steps: steps() })).toBeUndefined();
  });

  it('then a cycle is rejected, naming it', () => {
    const cyclic = [
      step('a', dept('dept-enforcement'), ['c']),
      step('b', dept('dept-enforcement'), ['a']),
      step('c', dept('dept-planning'), ['b']),
    ];
    expect(refusePlan(reported(), enforcement, { steps: cyclic })).toEqual({
      kind: 'invalid',
      reason: expect.stringContaining('a → c → b → a'),
    });
    expect(refusePlan(reported(), enforcement, { steps: [step('a', dept('dept-enforcement'), ['a'])] })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('a → a'),
    });
  });

  it('then an unknown dependency or a repeated key is rejected', () => {
    expect(
      refusePlan(reported(), enforcement, { steps: [step('a', dept('dept-enforcement'), ['survey'])] }),
    ).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('survey') });
    expect(
      refusePlan(reported(), enforcement, {
        steps: [step('a', dept('dept-enforcement')), step('a', dept('dept-planning'))],
      }),
    ).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('unique: a') });
  });

  it('then an assignee must be a department called on the case or the case’s own township', () => {
    expect(refusePlan(reported(), enforcement, { steps: [step('a', dept('dept-ecology'))] })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('dept-ecology'),
    });
    const elsewhere = { kind: 'township' as const, townshipId: 'tw-luoyang', module: 'safety' };
    expect(refusePlan(reported(), enforcement, { steps: [step('a', elsewhere)] })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('tw-luoyang'),
    });
  });
});

describe('when a step is completed', () => {
  it('then a dependent step opens when its last dependency completes, its clock running from that instant in working days', () => {
    const thursday = new Date('2026-03-05T02:00:00.000Z');
    const friday = new Date('2026-03-06T02:00:00.000Z'); // Fri 10:00
    const one = completeStep(planned(), enforcement, thursday, done('inspection'));
    expect(statusOf(one)).toMatchObject({ inspection: 'done', notice: 'waiting' });
    expect(one.plan!.steps[0]).toMatchObject({
      completedAt: iso(thursday),
      completedBy: enforcement.accountId,
      evidence: [photo],
      clock: { metAt: iso(thursday) },
    });

    const both = completeStep(one, township, friday, done('evidence'));
    const notice = both.plan!.steps.find((s) => s.key === 'notice')!;
    // one working day from Friday 10:00 skips the weekend: Monday 10:00
    expect(notice).toMatchObject({
      status: 'open',
      clock: { startedAt: iso(friday), deadline: '2026-03-09T02:00:00.000Z' },
    });
    expect(statusOf(both).penalty).toBe('waiting');
  });

  it('then only the assignee may complete it: the department, or the township for its module', () => {
    const c = planned();
    expect(refuseCompleteStep(c, planning, done('inspection'))).toMatchObject({ kind: 'forbidden' });
    expect(refuseCompleteStep(c, township, done('inspection'))).toMatchObject({ kind: 'forbidden' });
    expect(refuseCompleteStep(c, otherTownship, done('evidence'))).toMatchObject({ kind: 'forbidden' });
    expect(refuseCompleteStep(c, enforcement, done('evidence'))).toMatchObject({ kind: 'forbidden' });
    expect(refuseCompleteStep(c, township, done('evidence'))).toBeUndefined();
    // a department outside the case is refused before the plan is looked at: it learns nothing of it
    expect(refuseCompleteStep(c, ecology, done('survey'))).toMatchObject({ kind: 'forbidden' });
    expect(refuseCompleteStep(c, planning, done('survey'))).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('no step survey'),
    });
  });

  it("then a township step is its module's: another module's account is refused, a township-wide account is not", () => {
    const c = planned();
    const ofModule = (module: string) => ({ ...township, accountId: `acc-${module}`, module });
    expect(refuseCompleteStep(c, ofModule('comprehensive-enforcement'), done('evidence'))).toBeUndefined();
    expect(refuseCompleteStep(c, ofModule('safety'), done('evidence'))).toMatchObject({
      kind: 'forbidden',
      reason: expect.stringContaining("the comprehensive-enforcement module's"),
    });
    expect(refuseCompleteStep(c, township, done('evidence'))).toBeUndefined();
    // a module does not make a department's step its own
    expect(refuseCompleteStep(c, ofModule('comprehensive-enforcement'), done('inspection'))).toMatchObject({
      kind: 'forbidden',
    });
  });

  it('then a waiting step is refused naming the dependencies still open, and a done step cannot be completed again', () => {
    const c = completeStep(planned(), enforcement, new Date('2026-03-04T02:00:00.000Z'), done('inspection'));
    const refusal = refuseCompleteStep(c, planning, done('notice'));
    expect(refusal).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('waits on evidence') });
    expect(refusal!.reason).not.toContain('inspection');
    expect(refuseCompleteStep(c, enforcement, done('inspection'))).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('completed'),
    });
  });

  it('then the plan is done when every step is, and a breach marks only that step’s clock', () => {
    let c = planned();
    const deadline = new Date(c.plan!.steps[0]!.clock!.deadline);
    c = passStepMilestone(c, 'inspection', { kind: 'breach', at: deadline });
    expect(c.plan!.steps[0]!.clock!.overdueSince).toBe(iso(deadline));
    expect(c.plan!.steps[1]!.clock!.overdueSince).toBeUndefined();
    const at = new Date('2026-03-10T02:00:00.000Z');
    for (const [key, actor] of [
      ['inspection', enforcement],
      ['evidence', township],
      ['notice', planning],
      ['penalty', enforcement],
    ] as const) {
      expect(refuseCompleteStep(c, actor, done(key))).toBeUndefined();
      c = completeStep(c, actor, at, done(key));
    }
    expect(planDone(c)).toBe(true);
    expect(openStepClocks(c)).toEqual([]);
  });
});

describe('when the plan is revised', () => {
  const monday = new Date('2026-03-09T02:00:00.000Z');
  const withInspectionDone = () =>
    completeStep(
      planned(),
      enforcement,
      new Date('2026-03-04T02:00:00.000Z'),
      done('inspection', 'site measured / 已现场测量'),
    );

  it('then a revision without a reason is refused', () => {
    expect(refusePlan(planned(), enforcement, { steps: steps() })).toMatchObject({
      kind: 'conflict',
      reason: expect.stringMatching(/reason/),
    });
    expect(refusePlan(planned(), enforcement, { steps: steps(), reason: '  ' })).toMatchObject({ kind: 'conflict' });
  });

  it('then completed steps are kept as they were, and dropping or reassigning one is refused', () => {
    const c = withInspectionDone();
    const revised = [
      step('inspection', dept('dept-enforcement')),
      step('notice', dept('dept-planning'), ['inspection']),
      step('demolition', townshipModule('comprehensive-enforcement'), ['notice']),
    ];
    const command = { steps: revised, reason: 'owner agreed to demolish / 当事人同意自行拆除' };
    expect(refusePlan(c, enforcement, command)).toBeUndefined();
    const after = plan(c, enforcement, monday, command);
    expect(after.plan).toMatchObject({
      revision: 2,
      plannedAt: iso(monday),
      reasons: [{ at: iso(monday), by: enforcement.accountId, reason: command.reason }],
    });
    expect(after.plan!.steps[0]).toEqual(c.plan!.steps[0]);
    expect(statusOf(after)).toEqual({ inspection: 'done', notice: 'open', demolition: 'waiting' });

    expect(
      refusePlan(c, enforcement, { steps: revised.slice(1).map((s) => ({ ...s, dependsOn: [] })), reason: 'r' }),
    ).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('inspection is done and cannot be dropped') });
    expect(
      refusePlan(c, enforcement, { steps: [step('inspection', dept('dept-planning'))], reason: 'r' }),
    ).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('cannot be reassigned') });
  });

  it('then a step that stays open keeps its running clock, and one with a new limit starts afresh', () => {
    const c = withInspectionDone();
    const before = c.plan!.steps.find((s) => s.key === 'evidence')!.clock!;
    const same = plan(c, enforcement, monday, { steps: steps(), reason: 'add detail / 补充说明' });
    expect(same.plan!.steps.find((s) => s.key === 'evidence')!.clock).toEqual(before);
    const longer = steps().map((s) =>
      s.key === 'evidence' ? { ...s, limit: { amount: 5, unit: 'working_day' as const } } : s,
    );
    const reset = plan(c, enforcement, monday, { steps: longer, reason: 'more time for sampling / 取样需更长时间' });
    expect(reset.plan!.steps.find((s) => s.key === 'evidence')!.clock!.startedAt).toBe(iso(monday));
  });
});
