/**
 * One workflow per whistle case (workflow id = case id). It orchestrates only: rules come from
 * domain/, side effects go through activities. Its Updates are the rows of domain/actions.ts;
 * each clock has its follower; the phases (verification, evaluation, re-inspection) run in turn;
 * a long case continues as new.
 */
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { isFinal } from '../domain/case/enums';
import type { WhistleCase } from '../domain/case/shape';
import { CLOCKS } from '../domain/duty-clock';
import { reinspectionDays, reopened } from '../domain/reinspection';
import { clockMet } from '../domain/whistle';
import { registerActions } from './case-actions';
import { ClockFollowers } from './clock-followers';
import { continueWithFreshHistory, historyFull } from './continue-as-new';
import { Courier } from './courier';
import { evaluation } from './evaluation';
import type { WhistleCaseInput } from './input';
import { LiveCase } from './live-case';
import { Merging } from './merge';
import { caseStateQuery, chainWitnessQuery, mergedInSignal } from './messages';
import { reinspection } from './reinspection';
import { verification } from './verification';

export type { WhistleCaseInput } from './input';

export async function whistleCase(input: WhistleCaseInput): Promise<WhistleCase> {
  const live = new LiveCase(input);
  const merging = new Merging(live);
  setHandler(caseStateQuery, () => live.state);
  setHandler(chainWitnessQuery, () => live.journal.witness());
  registerActions(live, { merge: merging });
  setHandler(mergedInSignal, (duplicate) => merging.takeIn(duplicate));

  const journalling = live.journal.run();
  // cases started before notifications existed never call the courier
  const courier = patched('notifications')
    ? new Courier(
        input.caseId,
        live.journal,
        input.carried?.journal.notifyFrom ?? 1,
        // cases started before the recording delivered the log channel call the courier for every batch
        patched('courier-webhooks-only'),
      )
    : undefined;
  const couriering = courier?.run(() => live.journal.drained());
  const clocks = new ClockFollowers(live, patched('resolve-clock'));

  const ended = await Promise.race([
    lifecycle(live, clocks).then(() => 'done' as const),
    condition(() => isFinal(live.state) && allHandlersFinished()).then(() => 'done' as const),
    condition(() => historyFull(input.historyLimit) && allHandlersFinished()).then(() => 'continue' as const),
  ]);
  if (ended === 'continue' && !isFinal(live.state)) await continueWithFreshHistory(input, live, courier);
  live.journal.close();
  await journalling;
  await couriering;
  return live.state;
}

/** The case from wherever it stands (a run continued as new resumes mid-way), to its end. */
async function lifecycle(live: LiveCase, clocks: ClockFollowers): Promise<void> {
  // cases started before the desk existed skipped it (and wait at the desk for ever)
  if (live.state.status === 'dispatching') {
    if (patched('dispatch-desk')) await clocks.follow({ kind: 'desk' });
    await condition(() => live.state.status !== 'dispatching');
  }
  const duties = live.state.duties.flatMap((d) => CLOCKS.map((clock) => ({ departmentId: d.departmentId, clock })));
  const reported = duties.map(({ departmentId, clock }) => clocks.follow({ kind: 'duty', departmentId, clock }));
  void clocks.followNewClocks();
  await Promise.all(reported);
  // a party called later (an upheld decline) reports for duty too
  await condition(() =>
    live.state.duties.every((d) => CLOCKS.every((clock) => clockMet(live.state, d.departmentId, clock))),
  );
  if (!patched('resolve-and-verify')) {
    // cases started before resolve/verify existed ended once every department was on site
    const onSite = () => live.state.duties.length > 0 && live.state.duties.every((d) => d.status === 'on_site');
    await condition(() => onSite() && allHandlersFinished());
    return;
  }
  for (;;) {
    // 事不完、人不撤: every department stays on the case until the township has verified the result
    await verification(live);
    // cases verified before evaluation existed ended at `evaluating`
    if (!patched('evaluate-and-close')) break;
    if (live.state.status !== 'closed') await evaluation(live);
    if (!(reinspectionDays(live.state) && patched('reinspection'))) break;
    if (!(await reinspection(live))) break;
    live.record(reopened(live.state), new Date());
  }
  await condition(allHandlersFinished);
}
