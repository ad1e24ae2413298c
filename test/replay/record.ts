/**
 * `npm run replay:record`: runs the recorded scenarios on the time-skipping server and saves each
 * case workflow's history under test/replay/histories/. Commit them: the replay test then proves
 * that a change to the workflow code still replays the cases already running in production.
 * Existing histories are never overwritten: they are the cases already running, which every later
 * version of the code must still replay. Add scenarios; never re-record to make a replay pass.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { CaseGateway } from '../../api/whistles/case-gateway';
import type { Routed } from '../../domain/dispatch';
import { BUILT_IN_NOTICES, CN_2026_NOTICE, type HolidayNotice } from '../../domain/calendar';
import { caseCalendarOf, withNotice } from '../../domain/calendar/versions';
import { route, type Routing } from '../../domain/routing';
import { mergeTarget } from '../../domain/withdrawal';
import { ROOT } from '../../dev/tools/paths';
import { startTestDatabase } from '../support/database';
import {
  demoMatter,
  dispatcher,
  ecology,
  enforcement,
  housing,
  illegalConstruction,
  planning,
  reverseRoutingFor,
  riverCheck,
  routingFor,
  supervisor,
  township,
} from '../support/fixtures';
import { startStack } from '../support/stack';
import { startTimeSkippingServer } from '../support/temporal';

const MINUTE = 60_000;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const [env, db] = await Promise.all([startTimeSkippingServer(), startTestDatabase()]);
  const stack = await startStack(env, db);
  const cases = new CaseGateway(env.client, stack.taskQueue);
  const dir = join(ROOT, 'test', 'replay', 'histories');
  mkdirSync(dir, { recursive: true });

  const raise = async (urgency: 'urgent' | 'normal', matterCode?: string) => {
    const caseId = `case-${randomUUID()}`;
    const whistle = illegalConstruction({ urgency, ...(matterCode === undefined ? {} : { matterCode }) });
    const routing = matterCode === '' ? routingFor({ ...whistle, matterCode: undefined }) : routingFor(whistle);
    await cases.raise(caseId, whistle, township, new Date(await env.currentTimeMs()), routing, 'record');
    return caseId;
  };
  // polls rather than awaiting result(): waiting for a result lets the test server skip time far ahead
  const completed = async (caseId: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await env.client.workflow.getHandle(caseId).describe()).status.name === 'COMPLETED') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${caseId} did not complete`);
  };
  const save = async (name: string, caseId: string, runId?: string) => {
    const file = join(dir, `${name}.binpb`);
    const history = await env.client.workflow.getHandle(caseId, runId).fetchHistory();
    // binary protobuf: the SDK's JSON helpers break on this install's nested protobufjs copy
    writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    process.stderr.write(`[replay] recorded ${name} (${history.events?.length} events)\n`);
  };

  /** Runs a scenario only when its history is not recorded yet. */
  const scenario = async (name: string, run: () => Promise<string | { caseId: string; runId: string }>) => {
    if (existsSync(join(dir, `${name}.binpb`)))
      return void process.stderr.write(`[replay] kept ${name} (recorded earlier)\n`);
    const recorded = await run();
    await (typeof recorded === 'string' ? save(name, recorded) : save(name, recorded.caseId, recorded.runId));
  };
  const reportedAndOnSite = async (caseId: string) => {
    for (const dept of [enforcement, planning]) await cases.act(caseId, 'acknowledge', { actor: dept });
    for (const dept of [enforcement, planning]) await cases.act(caseId, 'arrive', { actor: dept });
  };

  /** The township rates both departments, both rate the township: closed. */
  const evaluatedBothWays = async (caseId: string) => {
    await cases.act(caseId, 'evaluate', {
      actor: township,
      ratings: [enforcement, planning].map((d) => ({ departmentId: d.orgUnitId!, speed: 4, attitude: 5, result: 4 })),
    });
    for (const dept of [enforcement, planning]) await cases.act(caseId, 'evaluate', { actor: dept, cooperation: 5 });
  };

  try {
    // urgent: one department reports at once, the other only after warnings, the breach and two rungs
    // (recorded before resolve/verify existed: the case ended once everyone was on site)
    await scenario('urgent-late-report-then-on-site', async () => {
      const late = await raise('urgent');
      await cases.act(late, 'acknowledge', { actor: enforcement });
      await env.sleep(61 * MINUTE);
      await cases.act(late, 'acknowledge', { actor: planning });
      await cases.act(late, 'arrive', { actor: enforcement });
      await cases.act(late, 'arrive', { actor: planning });
      await completed(late);
      return late;
    });

    // normal: both report in time, one comes on site; the case is still open when recorded
    await scenario('normal-reported-still-open', async () => {
      const open = await raise('normal');
      await cases.act(open, 'acknowledge', { actor: enforcement });
      await cases.act(open, 'acknowledge', { actor: planning });
      await cases.act(open, 'arrive', { actor: planning });
      return open;
    });

    // no matter: waiting at the dispatch desk
    await scenario('dispatching', () => raise('normal', ''));

    // the loop closed: progress, a result sent back twice (escalates), then accepted
    await scenario('verified-after-two-send-backs', async () => {
      const verified = await raise('urgent');
      await reportedAndOnSite(verified);
      await cases.act(verified, 'progress', { actor: township, note: 'evidence fixed', evidence: [] });
      for (const accept of [false, false, true]) {
        await cases.act(verified, 'resolve', { actor: enforcement, summary: 'done', evidence: [] });
        await cases.act(verified, 'verify', { actor: township, accept, ...(accept ? {} : { reason: 'not yet' }) });
      }
      await completed(verified);
      return verified;
    });

    // an unclear whistle: the desk overdue, then classified; the departments report
    await scenario('classified-by-desk', async () => {
      const unclear = await raise('urgent', '');
      await env.sleep(20 * MINUTE);
      await cases.act(unclear, 'classify', {
        actor: dispatcher,
        routing: routingFor(illegalConstruction({ urgency: 'urgent' })) as Routed,
      });
      for (const dept of [enforcement, planning]) await cases.act(unclear, 'acknowledge', { actor: dept });
      return unclear;
    });

    // the desk's routing calls the lead to a result: its resolve clock runs, late, from the routing
    await scenario('classified-by-desk-resolve-clock', async () => {
      const unclear = await raise('urgent', '');
      await env.sleep(5 * MINUTE);
      await cases.act(unclear, 'classify', {
        actor: dispatcher,
        routing: routingFor(illegalConstruction({ urgency: 'urgent' })) as Routed,
      });
      for (const dept of [enforcement, planning]) await cases.act(unclear, 'acknowledge', { actor: dept });
      for (const dept of [enforcement, planning]) await cases.act(unclear, 'arrive', { actor: dept });
      await env.sleep(25 * 60 * MINUTE);
      return unclear;
    });

    // 催办: the township presses a reminder on a department near its limit, and again an hour later
    await scenario('reminded', async () => {
      const caseId = await raise('urgent');
      await env.sleep(23 * MINUTE);
      await cases.act(caseId, 'remind', { actor: township, departmentId: 'dept-planning', note: 'please report' });
      await env.sleep(61 * MINUTE);
      await cases.act(caseId, 'remind', { actor: township, departmentId: 'dept-planning' });
      await cases.act(caseId, 'acknowledge', { actor: planning });
      return caseId;
    });

    // the desk returns a whistle that is not the county's business; and corrects a wrong routing
    await scenario('returned-by-desk', async () => {
      const caseId = await raise('normal', '');
      await env.sleep(10 * MINUTE);
      await cases.act(caseId, 'returnWhistle', { actor: dispatcher, reason: 'a village matter' });
      return caseId;
    });
    await scenario('rerouted-by-desk', async () => {
      const caseId = await raise('urgent');
      await env.sleep(5 * MINUTE);
      const routing = routingFor(illegalConstruction({ urgency: 'urgent', matterCode: 'WJ-007' })) as Routed;
      await cases.act(caseId, 'reroute', { actor: dispatcher, routing, reason: 'housing co-operates' });
      await cases.act(caseId, 'acknowledge', { actor: housing });
      await env.sleep(40 * MINUTE);
      return caseId;
    });

    // the whole loop to closed: accepted, then rated both ways
    await scenario('closed-after-evaluation', async () => {
      const closing = await raise('urgent');
      await reportedAndOnSite(closing);
      await cases.act(closing, 'resolve', { actor: enforcement, summary: 'done', evidence: [] });
      await cases.act(closing, 'verify', { actor: township, accept: true });
      await evaluatedBothWays(closing);
      await completed(closing);
      return closing;
    });

    // since 'courier-webhooks-only': the recording delivers the log channel itself (the test county has
    // no webhooks), so the whole life runs without a single notification activity
    await scenario('closed-log-notifications-in-recording', async () => {
      const closing = await raise('urgent');
      await reportedAndOnSite(closing);
      await cases.act(closing, 'resolve', { actor: enforcement, summary: 'done', evidence: [] });
      await cases.act(closing, 'verify', { actor: township, accept: false, reason: 'rubble left' });
      await cases.act(closing, 'resolve', { actor: enforcement, summary: 'rubble cleared', evidence: [] });
      await cases.act(closing, 'verify', { actor: township, accept: true });
      await evaluatedBothWays(closing);
      await env.sleep(5 * 24 * 60 * MINUTE);
      await cases.act(closing, 'reinspect', { actor: township, recurred: false, note: 'no recurrence' });
      await completed(closing);
      return closing;
    });

    // the township stays silent past its 24 hours: accepted by silence
    await scenario('accepted-by-silence', async () => {
      const silent = await raise('urgent');
      await reportedAndOnSite(silent);
      await cases.act(silent, 'resolve', { actor: enforcement, summary: 'done', evidence: [] });
      await env.sleep(25 * 60 * MINUTE);
      await completed(silent);
      return silent;
    });

    // --- the whole lifecycle (clock followers, disputes, suspension, plans, re-inspection, notifications) ---

    // a co-operating department declines, its clock breaches; the supervisor upholds and reassigns
    await scenario('dispute-upheld-reassigned', async () => {
      const disputed = await raise('urgent');
      await cases.act(disputed, 'acknowledge', { actor: enforcement });
      await cases.act(disputed, 'decline', {
        actor: planning,
        reason: 'not our matter',
        suggestedDepartmentId: 'dept-housing',
      });
      await env.sleep(40 * MINUTE);
      await cases.act(disputed, 'arbitrate', {
        actor: supervisor,
        departmentId: 'dept-planning',
        decision: 'uphold',
        note: 'housing by the list',
        reassignTo: 'dept-housing',
      });
      await cases.act(disputed, 'acknowledge', { actor: housing });
      return disputed;
    });

    // one department's clocks suspended (approved) while the other's breach, then resumed
    await scenario('suspended-and-resumed', async () => {
      const paused = await raise('urgent');
      await cases.act(paused, 'suspend', { actor: enforcement, reason: 'waiting for the land-use approval' });
      await cases.act(paused, 'decideSuspension', {
        actor: supervisor,
        departmentId: 'dept-enforcement',
        approve: true,
      });
      await env.sleep(40 * MINUTE);
      await cases.act(paused, 'resume', { actor: enforcement });
      await cases.act(paused, 'acknowledge', { actor: enforcement });
      return paused;
    });

    // joint enforcement: two parallel steps, one late, then the step depending on both
    await scenario('enforcement-plan-steps', async () => {
      const planned = await raise('urgent');
      await reportedAndOnSite(planned);
      const step = (key: string, actor: typeof enforcement, dependsOn: string[] = []) => ({
        key,
        title: key,
        kind: 'inspection' as const,
        assignee: { kind: 'department' as const, departmentId: actor.orgUnitId! },
        limit: { amount: 1, unit: 'hour' as const },
        dependsOn,
      });
      await cases.act(planned, 'plan', {
        actor: enforcement,
        steps: [
          step('inspect', enforcement),
          step('survey', planning),
          step('notice', enforcement, ['inspect', 'survey']),
        ],
      });
      await cases.act(planned, 'completeStep', {
        actor: enforcement,
        key: 'inspect',
        note: 'inspected',
        evidence: [],
      });
      await env.sleep(70 * MINUTE);
      await cases.act(planned, 'completeStep', { actor: planning, key: 'survey', note: 'surveyed', evidence: [] });
      await cases.act(planned, 'completeStep', { actor: enforcement, key: 'notice', note: 'served', evidence: [] });
      await cases.act(planned, 'resolve', { actor: enforcement, summary: 'demolished', evidence: [] });
      return planned;
    });

    // closed, then on day 10 of the 30-day re-inspection: it recurred, the case is reopened to its lead
    await scenario('reopened-by-reinspection', async () => {
      const reopened = await raise('urgent');
      await reportedAndOnSite(reopened);
      await cases.act(reopened, 'resolve', { actor: enforcement, summary: 'done', evidence: [] });
      await cases.act(reopened, 'verify', { actor: township, accept: true });
      await evaluatedBothWays(reopened);
      await env.sleep(10 * 24 * 60 * MINUTE);
      await cases.act(reopened, 'reinspect', { actor: township, recurred: true, note: 'built again' });
      return reopened;
    });

    // withdrawn by the township: every clock stops, the case ends
    await scenario('withdrawn', async () => {
      const withdrawn = await raise('urgent');
      await cases.act(withdrawn, 'acknowledge', { actor: enforcement });
      await cases.act(withdrawn, 'withdraw', { actor: township, reason: 'raised by mistake' });
      await completed(withdrawn);
      return withdrawn;
    });

    // a duplicate merged into an open case (the survivor is recorded too: it took the signal in)
    if (!existsSync(join(dir, 'merged-duplicate.binpb'))) {
      const survivor = await raise('urgent');
      const duplicate = await raise('urgent');
      const into = mergeTarget(await cases.state(survivor));
      await cases.act(duplicate, 'merge', { actor: dispatcher, into });
      await completed(duplicate);
      await cases.act(survivor, 'acknowledge', { actor: enforcement });
      await save('merged-duplicate', duplicate);
      await save('merge-survivor', survivor);
    }

    // a reverse whistle: a department calls the township's safety module, which reports for duty
    await scenario('reverse-whistle', async () => {
      const caseId = `case-${randomUUID()}`;
      const whistle = illegalConstruction({ urgency: 'urgent', direction: 'to_township', module: 'safety' });
      // routed as it was then: the township as the lead, no matter
      const routing: Routing = {
        kind: 'routed',
        listVersion: 1,
        calendarVersion: routingFor(whistle).calendarVersion,
        profile: routingFor(whistle).profile,
        departments: [{ departmentId: 'tw-nanpuxi', role: 'lead' }],
      };
      await cases.raise(caseId, whistle, ecology, new Date(await env.currentTimeMs()), routing, 'record');
      await cases.act(caseId, 'acknowledge', { actor: township });
      await cases.act(caseId, 'arrive', { actor: township });
      await cases.act(caseId, 'resolve', { actor: township, summary: 'cleared', evidence: [] });
      await cases.act(caseId, 'verify', { actor: ecology, accept: true });
      return caseId;
    });

    // 部门吹哨、乡镇报到 as the reform means it: ecology leads, the township's safety module assists
    // (reports, comes on site, completes its step), the township verifies, both rate: closed
    const assisted = async () => {
      const caseId = `case-${randomUUID()}`;
      const whistle = riverCheck();
      const at = new Date(await env.currentTimeMs());
      await cases.raise(caseId, whistle, ecology, at, reverseRoutingFor(whistle, ecology), 'record');
      return caseId;
    };
    await scenario('reverse-assisted-closed', async () => {
      const caseId = await assisted();
      await cases.act(caseId, 'acknowledge', { actor: township });
      await cases.act(caseId, 'arrive', { actor: township });
      await cases.act(caseId, 'arrive', { actor: ecology });
      const limit = { amount: 2, unit: 'hour' } as const;
      await cases.act(caseId, 'plan', {
        actor: ecology,
        steps: [
          {
            key: 'sample',
            title: '取样固证',
            kind: 'evidence',
            assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'safety' },
            limit,
            dependsOn: [],
          },
          {
            key: 'trace',
            title: '溯源检查',
            kind: 'inspection',
            assignee: { kind: 'department', departmentId: 'dept-ecology' },
            limit,
            dependsOn: ['sample'],
          },
        ],
      });
      await cases.act(caseId, 'completeStep', { actor: township, key: 'sample', note: 'sampled', evidence: [] });
      await cases.act(caseId, 'completeStep', { actor: ecology, key: 'trace', note: 'traced', evidence: [] });
      await cases.act(caseId, 'resolve', { actor: ecology, summary: 'source stopped', evidence: [] });
      await cases.act(caseId, 'verify', { actor: township, accept: true });
      await cases.act(caseId, 'evaluate', {
        actor: township,
        ratings: [{ departmentId: 'dept-ecology', speed: 5, attitude: 5, result: 4 }],
      });
      await cases.act(caseId, 'evaluate', { actor: ecology, cooperation: 5 });
      await completed(caseId);
      return caseId;
    });

    // the township declines (outside its role), the supervisor upholds: released, ecology carries on
    await scenario('reverse-assisted-decline-upheld', async () => {
      const caseId = await assisted();
      await cases.act(caseId, 'decline', { actor: township, reason: 'outside our role' });
      await cases.act(caseId, 'arbitrate', {
        actor: supervisor,
        departmentId: 'tw-nanpuxi',
        decision: 'uphold',
        note: 'released',
      });
      await cases.act(caseId, 'arrive', { actor: ecology });
      return caseId;
    });

    // a long case continues as new: the first run's history is what a running case has
    await scenario('continued-as-new', async () => {
      const caseId = `case-${randomUUID()}`;
      const whistle = illegalConstruction({ urgency: 'urgent' });
      const first = await env.client.workflow.start('whistleCase', {
        workflowId: caseId,
        taskQueue: stack.taskQueue,
        args: [
          {
            caseId,
            raise: whistle,
            raisedBy: township,
            raisedAt: new Date(await env.currentTimeMs()).toISOString(),
            routing: routingFor(whistle),
            historyLimit: 40,
          },
        ],
      });
      for (let i = 0; i < 12; i++)
        await cases.act(caseId, 'progress', { actor: township, note: `note ${i}`, evidence: [] });
      for (
        let i = 0;
        i < 100 && (await env.client.workflow.getHandle(caseId).describe()).runId === first.firstExecutionRunId;
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      await cases.act(caseId, 'acknowledge', { actor: enforcement });
      return { caseId, runId: first.firstExecutionRunId };
    });

    // a grid report turned into a whistle by a module lead (raisedByModule, gridReportId, the report's
    // evidence); the enforcement module's step completed by that module's account
    await scenario('module-whistle-from-grid-report', async () => {
      const lead = { ...township, accountId: 'acc-nanpuxi-enforcement', module: 'enforcement' };
      const caseId = `case-${randomUUID()}`;
      const whistle = illegalConstruction({
        urgency: 'urgent',
        gridReportId: 'gr-record',
        evidence: [{ kind: 'photo', uri: 'https://evidence.example/record.jpg', sha256: 'ab'.repeat(32) }],
      });
      await cases.raise(caseId, whistle, lead, new Date(await env.currentTimeMs()), routingFor(whistle), 'record');
      await reportedAndOnSite(caseId);
      const assignee = { kind: 'township' as const, townshipId: 'tw-nanpuxi', module: 'enforcement' };
      const limit = { amount: 1, unit: 'hour' as const };
      await cases.act(caseId, 'plan', {
        actor: enforcement,
        steps: [{ key: 'inspect', title: 'inspect', kind: 'inspection', assignee, limit, dependsOn: [] }],
      });
      await cases.act(caseId, 'completeStep', { actor: lead, key: 'inspect', note: 'inspected', evidence: [] });
      return caseId;
    });

    // a case raised on a loaded calendar version, its data in the routing (test data: three more
    // days off in December 2026): one department reports late, past its breach, then both come on site
    await scenario('loaded-calendar-late-report', async () => {
      const caseId = `case-${randomUUID()}`;
      const whistle = illegalConstruction({ urgency: 'normal' });
      const notice = {
        ...CN_2026_NOTICE,
        holidays: [...CN_2026_NOTICE.holidays, { name: '测试假日', from: '2026-12-02', to: '2026-12-04' }],
      };
      const years = withNotice(BUILT_IN_NOTICES, notice) as HolidayNotice[];
      const raisedAt = new Date(await env.currentTimeMs());
      const routing = route(whistle, {
        listVersion: 1,
        calendarVersion: 'cn-v2',
        calendar: caseCalendarOf(years, raisedAt.getUTCFullYear()),
        matter: demoMatter('WJ-006'),
      }) as Routed;
      await cases.raise(caseId, whistle, township, raisedAt, routing, 'record');
      await cases.act(caseId, 'acknowledge', { actor: enforcement });
      await env.sleep(7 * 24 * 60 * MINUTE);
      await cases.act(caseId, 'acknowledge', { actor: planning });
      await cases.act(caseId, 'arrive', { actor: enforcement });
      await cases.act(caseId, 'arrive', { actor: planning });
      return caseId;
    });
  } finally {
    await stack.stop();
    await Promise.all([env.teardown(), db.stop()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
