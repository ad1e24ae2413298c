/**
 * Statistics, rankings and the live overdue stream over HTTP, on the time-skipping test server with
 * the real SLA figures. Six whistles on WJ-006 (lead: enforcement 综合执法; co-operating: planning
 * 规划) are driven on Monday 2026-12-07 from 09:00 Shanghai (T): a clean case, a late and sent-back
 * one, a declined one (upheld: housing takes over), a suspended one, a withdrawn one, and a normal
 * one timed in working hours across the lunch break. Every figure the API answers is written below
 * as a literal, with the arithmetic beside it.
 *
 * Actions land a few milliseconds after the planned instant (the server's clock runs on between
 * skips): minutes are rounded to a tenth, so the figures come out exact.
 */
import type { Actor } from '../../domain/identity';
import { departmentsInScope } from '../../domain/access';
import { feedRows } from '../../domain/overdue-feed';
import { auditEventModel, caseHistory } from '../../store/audit-events';
import { caseFactsModel, recordFacts } from '../../store/case-facts';
import { appendFeed, overdueFeedModel } from '../../store/overdue-feed';
import { foldRollups, rollupModels } from '../../store/stats-rollups';
import { eventually } from '../support/eventually';
import { enforcement, housing, planning, supervisor, otherTownship, township } from '../support/fixtures';
import { call } from '../support/http';
import { useHarness } from '../support/harness';
import { skippingTime } from '../support/skipping-time';

const MINUTE = 60_000;
const harness = useHarness('time-skipping');
const { cases, raise, skipTo } = skippingTime(harness);

/** Monday 2026-12-07 09:00 Asia/Shanghai */
const T = Date.parse('2026-12-07T01:00:00Z');
const DAY = 'from=2026-12-07&to=2026-12-07';

const get = async (actor: Actor | undefined, path: string) =>
  call(harness.stack.baseUrl, 'GET', `/api/v1${path}`, actor ? { token: await harness.stack.token(actor) } : {});

const rating = (departmentId: string, speed: number, attitude: number, result: number) => ({
  departmentId,
  speed,
  attitude,
  result,
});

/** The day's case ids, A to F */
const day: Record<string, string> = {};

/** The whole day's script, in time order; each step skips to its minute past T and acts. */
async function driveTheDay(): Promise<void> {
  await skipTo(T);
  const [A, B, C, D, E] = [
    (await raise('urgent')).caseId, // A: clean, accepted first time
    (await raise('urgent')).caseId, // B: enforcement reports late, its result sent back once
    (await raise('urgent')).caseId, // C: planning declines, upheld, housing takes over; left open
    (await raise('urgent')).caseId, // D: enforcement suspended for 30 minutes
    (await raise('urgent')).caseId, // E: withdrawn
  ] as [string, string, string, string, string];
  Object.assign(day, { A, B, C, D, E });
  const at = async (minutes: number, ...steps: (() => Promise<unknown>)[]) => {
    await skipTo(T + minutes * MINUTE);
    for (const step of steps) await step();
  };
  const act = cases().act.bind(cases());
  const ack = (id: string, actor: Actor) => () => act(id, 'acknowledge', { actor });
  const arrive = (id: string, actor: Actor) => () => act(id, 'arrive', { actor });
  const resolve = (id: string) => () => act(id, 'resolve', { actor: enforcement, summary: '已处置', evidence: [] });
  const verify = (id: string, accept: boolean) => () =>
    act(id, 'verify', { actor: township, accept, ...(accept ? {} : { reason: '未拆除完毕 / not fully removed' }) });
  const evaluate = (id: string, ratings: ReturnType<typeof rating>[], zf: number, gh: number) => [
    () => act(id, 'evaluate', { actor: township, ratings }),
    () => act(id, 'evaluate', { actor: enforcement, cooperation: zf }),
    () => act(id, 'evaluate', { actor: planning, cooperation: gh }),
  ];

  await at(5, () => act(E, 'withdraw', { actor: township, reason: '误报 / raised by mistake' }));
  await at(10, ack(A, enforcement), ack(C, enforcement), ack(D, enforcement));
  await at(15, () =>
    act(C, 'decline', {
      actor: planning,
      reason: '属住建职责 / a housing matter',
      suggestedDepartmentId: 'dept-housing',
    }),
  );
  await at(20, ack(A, planning), ack(B, planning), ack(D, planning), arrive(C, enforcement));
  await at(
    22,
    () => act(D, 'suspend', { actor: enforcement, reason: '等待审批 / waiting for an approval' }),
    () => act(D, 'decideSuspension', { actor: supervisor, departmentId: 'dept-enforcement', approve: true }),
  );
  await at(25, () =>
    act(C, 'arbitrate', {
      actor: supervisor,
      departmentId: 'dept-planning',
      decision: 'uphold',
      note: '按清单改派 / by the list',
      reassignTo: 'dept-housing',
    }),
  );
  await at(30, arrive(A, enforcement)); // B: enforcement's report-for-duty clock breaches now (reminder)
  await at(35, ack(C, housing));
  await at(40, arrive(A, planning), arrive(D, planning));
  await at(45, arrive(C, housing));
  await at(52, () => act(D, 'resume', { actor: enforcement }));
  await at(60, resolve(A), arrive(B, planning), arrive(D, enforcement)); // B: department head told
  await at(65, ack(B, enforcement));
  await at(70, arrive(B, enforcement));
  await at(75, verify(A, true));
  await at(80, resolve(B));
  await at(90, verify(B, false), resolve(D));
  await at(100, resolve(B));
  await at(110, verify(B, true));
  await at(
    115,
    ...evaluate(A, [rating('dept-enforcement', 5, 5, 4), rating('dept-planning', 4, 4, 4)], 5, 4),
    ...evaluate(B, [rating('dept-enforcement', 3, 3, 3), rating('dept-planning', 4, 5, 4)], 3, 4),
  );
  await at(120, verify(D, true));
  await at(125, ...evaluate(D, [rating('dept-enforcement', 4, 4, 4), rating('dept-planning', 5, 5, 5)], 5, 5));
  // F: a normal whistle at 11:30, timed in working hours (2 working hours to report for duty)
  await skipTo(T + 150 * MINUTE);
  const F = (await raise('normal')).caseId;
  day.F = F;
  await at(300, ack(F, enforcement)); // 14:00: 11:30–12:00 + 13:30–14:00 = 60 working minutes
  await at(310, ack(F, planning)); // 14:10: 30 + 40 = 70 working minutes
}

/** A department that leads no case: no result to count */
const notLead = {
  resolveTime: { p50Minutes: null, p90Minutes: null },
  leadCases: 0,
  resolved: 0,
  resolutionRate: null,
  acceptedFirstTime: 0,
  sentBack: 0,
};
const noEscalations = { reminder: 0, department_head: 0, county_supervision: 0, county_leadership: 0 };

/** The figures by hand. Cases worked: A B C D F (E is withdrawn: its township's, not a department's). */
const DEPARTMENTS = [
  {
    departmentId: 'dept-enforcement',
    name: { zh: '县综合行政执法局', en: 'County Comprehensive Administrative Enforcement Bureau' },
    called: 5, // lead on A B C D F
    reportedOnTime: 4, // all but B (65 min against 30)
    reportRate: 0.8, // 4 / 5
    onSiteOnTime: 4, // A 30, B 70, C 20, D 60 (due at 150: 120 + 30 paused); F not yet on site
    reportTime: { p50Minutes: 10, p90Minutes: 65 }, // [10 A, 10 C, 10 D, 60 F, 65 B]: 3rd and 5th of 5
    resolveTime: { p50Minutes: 60, p90Minutes: 100 }, // [60 A, 60 D (90 − 30 paused), 100 B]: 2nd and 3rd of 3
    leadCases: 5,
    resolved: 3, // A B D
    resolutionRate: 0.6, // 3 / 5
    acceptedFirstTime: 2, // A D
    sentBack: 1, // B once
    satisfaction: { speed: 4, attitude: 4, result: 3.67, count: 3 }, // (5+3+4)/3, (5+3+4)/3, (4+3+4)/3
    escalations: { ...noEscalations, reminder: 1, department_head: 1 }, // B at 30 (breach) and 60
    declines: { raised: 0, upheld: 0 },
    suspensions: 1, // D
  },
  {
    departmentId: 'dept-housing',
    name: { zh: '县住房和城乡建设局', en: 'County Housing and Urban-Rural Development Bureau' },
    called: 1, // C, called at 25 by the ruling
    reportedOnTime: 1,
    reportRate: 1,
    onSiteOnTime: 1,
    reportTime: { p50Minutes: 10, p90Minutes: 10 }, // 35 − 25
    ...notLead,
    satisfaction: { speed: null, attitude: null, result: null, count: 0 },
    escalations: noEscalations,
    declines: { raised: 0, upheld: 0 },
    suspensions: 0,
  },
  {
    departmentId: 'dept-planning',
    name: { zh: '县自然资源和规划局', en: 'County Natural Resources and Planning Bureau' },
    called: 4, // A B D F; released from C, excused
    reportedOnTime: 4,
    reportRate: 1,
    onSiteOnTime: 3, // A 40, B 60, D 40; F not yet
    reportTime: { p50Minutes: 20, p90Minutes: 70 }, // [20, 20, 20, 70 F]: 2nd and 4th of 4
    ...notLead,
    satisfaction: { speed: 4.33, attitude: 4.67, result: 4.33, count: 3 }, // (4+4+5)/3, (4+5+5)/3, (4+4+5)/3
    escalations: noEscalations,
    declines: { raised: 1, upheld: 1 }, // C
    suspensions: 0,
  },
];

describe('when the supervisor reads the statistics of a day of whistles', () => {
  beforeAll(driveTheDay, 120_000);

  it('then each department figure equals the one computed by hand', async () => {
    await eventually(async () => {
      const res = await get(supervisor, `/stats/departments?${DAY}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ from: '2026-12-07', to: '2026-12-07', rows: DEPARTMENTS });
    });
    // a department reads its own row; another's is refused; a bad parameter is named
    const own = await get(enforcement, `/stats/departments?${DAY}`);
    expect(own.body.rows).toEqual([DEPARTMENTS[0]]);
    expect((await get(enforcement, `/stats/departments?${DAY}&departmentId=dept-planning`)).status).toBe(403);
    const bad = await get(supervisor, '/stats/departments?from=2026-13-01&urgency=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'urgency']);
    // filters: urgent cases only leave out F (enforcement's 60 and planning's 70 working minutes)
    const urgent = await get(supervisor, `/stats/departments?${DAY}&urgency=urgent`);
    expect(
      urgent.body.rows.map((r: { departmentId: string; called: number }) => `${r.departmentId} ${r.called}`),
    ).toEqual(['dept-enforcement 4', 'dept-housing 1', 'dept-planning 3']);
  });

  it('then the township, matter and ranking figures equal the ones computed by hand, and export as CSV', async () => {
    const townships = await get(supervisor, `/stats/townships?${DAY}`);
    expect(townships.body.rows).toEqual([
      {
        townshipId: 'tw-nanpuxi',
        name: expect.objectContaining({ zh: '南浦溪镇' }),
        raised: 6, // A–F
        withdrawn: 1, // E
        merged: 0,
        resolved: 3, // A B D
        resolutionRate: 0.6, // 3 of the 5 worked
        cooperation: { rating: 4.33, count: 6 }, // (5+4 A, 3+4 B, 5+5 D) / 6 = 26 / 6
        verifications: 4, // A, B twice, D
        verifiedInTime: 4, // none by silence
        verificationTime: { p50Minutes: 10, p90Minutes: 30 }, // [15 A, 10 B, 10 B, 30 D] → [10, 10, 15, 30]
        gridReports: { filed: 0, handled: 0, whistled: 0 }, // none filed in this test
      },
    ]);
    expect((await get(otherTownship, `/stats/townships?${DAY}`)).body.rows).toEqual([]);
    expect((await get(township, `/stats/departments?${DAY}`)).status).toBe(403);

    // open now: C (housing on site, its result not in) and F (reported for duty, not on site), neither late
    const grid = { townshipId: 'tw-nanpuxi', township: expect.objectContaining({ zh: '南浦溪镇' }) };
    const open = await get(supervisor, '/stats/open');
    expect(open.body).toEqual({
      totals: { open: 2, overdue: 0 },
      rows: [{ ...grid, gridId: 'tw-nanpuxi-g07', grid: { zh: '下村网格', en: 'Xiacun grid' }, open: 2, overdue: 0 }],
    });
    expect((await get(township, '/stats/open')).body.totals).toEqual({ open: 2, overdue: 0 });
    expect((await get(otherTownship, '/stats/open')).body).toEqual({ totals: { open: 0, overdue: 0 }, rows: [] });
    expect((await get(otherTownship, '/stats/open?townshipId=tw-nanpuxi')).status).toBe(403);
    expect((await get(enforcement, '/stats/open')).status).toBe(403);
    const openCsv = await get(supervisor, '/stats/open?format=csv');
    expect(openCsv.body.trim().split('\n')).toEqual([
      'townshipId,township.zh,township.en,gridId,grid.zh,grid.en,open,overdue',
      expect.stringMatching(/^tw-nanpuxi,南浦溪镇,.*,tw-nanpuxi-g07,下村网格,Xiacun grid,2,0$/),
    ]);

    const matters = await get(supervisor, `/stats/matters?${DAY}`);
    expect(matters.body.rows[0]).toMatchObject({
      code: 'WJ-006',
      used: 6,
      disputes: { raised: 1, upheld: 1 },
      reassignments: 1,
    });
    expect(matters.body.totals).toEqual({ matters: 147, used: 1, neverUsed: 146 });
    expect(matters.body.neverUsed).toHaveLength(146);

    const departments = await get(supervisor, '/rankings/departments?month=2026-12');
    expect(departments.body).toMatchObject({ month: '2026-12', closed: false, minCases: 3 });
    expect(
      departments.body.rows.map((r: any) =>
        `${r.id} ${r.rank} ${r.score} ${r.tier} ${r.tierZh} ${r.flagged} ${r.unranked ?? ''}`.trim(),
      ),
    ).toEqual([
      // planning: no lead case → 100 × (0.4 × 1 + 0.3 × (4.33+4.67+4.33)/3/5) / 0.7 = 100 × 0.6666 / 0.7 = 95.2
      'dept-planning 1 95.2 good 好 false',
      // enforcement: 100 × (0.4 × 0.8 + 0.3 × 0.6 + 0.3 × (4+4+3.67)/3/5) = 32 + 18 + 23.34 = 73.3
      'dept-enforcement 2 73.3 average 一般 false',
      // housing: its response alone (no lead case, no rating) scores 100, but 1 case is under the minimum of 3
      'dept-housing null 100 null null false fewer than 3 cases this month / 本月案件少于 3 件',
    ]);
    const towns = await get(supervisor, '/rankings/townships?month=2026-12');
    // 5 worked: 100 × (0.4 × 4/4 + 0.3 × 0.6 + 0.3 × 4.33/5) = 40 + 18 + 25.98 = 84.0
    expect(towns.body.rows).toMatchObject([{ id: 'tw-nanpuxi', rank: 1, score: 84, tier: 'fair', flagged: false }]);
    expect((await get(planning, '/rankings/departments?month=2026-12')).body.rows.map((r: any) => r.id)).toEqual([
      'dept-planning',
    ]);
    expect((await get(supervisor, '/rankings/departments?month=2026-13')).status).toBe(400);

    const csv = await fetch(`${harness.stack.baseUrl}/api/v1/stats/departments?${DAY}&format=csv`, {
      headers: { authorization: `Bearer ${await harness.stack.token(supervisor)}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\uFEFFdepartmentId,name\.zh,name\.en,called,reportedOnTime,reportRate,/);
    expect(lines[1]).toMatch(
      /^dept-enforcement,县综合行政执法局,.*,5,4,0\.8,4,10,65,60,100,5,3,0\.6,2,1,4,4,3\.67,3,1,1,0,0,0,0,1$/,
    );
    const ranking = await get(supervisor, '/rankings/departments?month=2026-12&format=csv');
    // a period without cases still has its header; (fetch's text() drops the byte-order mark)
    const empty = await get(supervisor, '/stats/townships?from=2026-01-01&to=2026-01-31&format=csv');
    expect(empty.body.trim()).toMatch(
      /^townshipId,name\.zh,name\.en,raised,withdrawn,merged,.*,gridReports\.filed,gridReports\.handled,gridReports\.whistled$/,
    );
    expect(ranking.body.split('\n')[0]).toMatch(/^id,name\.zh,name\.en,cases,responseRate,resolutionRate,/);
  });
});

describe('when the recording activity records a batch again (a retry after a lost answer)', () => {
  it('then no figure counts twice and the stream gets no second row: each is keyed by case and event sequence', async () => {
    const db = harness.db.connection;
    const feed = overdueFeedModel(db);
    const feedOf = async (caseId: string) => (await feed.find({ caseId }).lean()).map((e) => e._id).sort();
    const before = await feedOf(day.B!);
    // B's whole history as one batch, with B's state now: its escalations, results and verdicts again
    const events = (await caseHistory(auditEventModel(db), day.B!)).map(({ prevHash: _p, hash: _h, ...e }) => e);
    const state = await cases().state(day.B!);
    await recordFacts(caseFactsModel(db), events, state);
    await appendFeed(feed, feedRows(events, state, departmentsInScope(state)), Date.now());

    const breach = events.find((e) => e.type === 'duty.overdue')!;
    expect(before).toEqual(
      [
        `${day.B}:${breach.seq}:duty:dept-enforcement:acknowledge`,
        `${day.B}:cure:duty:dept-enforcement:acknowledge:${String(breach.data.deadline)}`,
        ...events
          .filter((e) => e.type === 'duty.escalated')
          .map((e) => `${day.B}:${e.seq}:duty:dept-enforcement:acknowledge`),
      ].sort(),
    );
    expect(await feedOf(day.B!)).toEqual(before);
    const res = await get(supervisor, `/stats/departments?${DAY}`);
    expect(res.body.rows).toEqual(DEPARTMENTS);
  });
});

describe('when the rollups are built from the facts already there, then folded as cases change', () => {
  it('then every figure stays the one computed by hand, whether read from the rollups, the changes since, or both', async () => {
    const rollups = rollupModels(harness.db.connection);
    const figures = async () => {
      const [departments, townships, matters, ranking] = await Promise.all([
        get(supervisor, `/stats/departments?${DAY}`),
        get(supervisor, `/stats/townships?${DAY}`),
        get(supervisor, `/stats/matters?${DAY}`),
        get(supervisor, '/rankings/departments?month=2026-12'),
      ]);
      return { departments: departments.body, townships: townships.body, matters: matters.body, ranking: ranking.body };
    };
    // read from the case facts: no fold has run yet
    expect(await rollups.state.findById('state').lean()).toBeNull();
    const before = await figures();
    expect(before.departments.rows).toEqual(DEPARTMENTS);

    // a deployment with facts and no rollups: the first fold (the Schedule's workflow) builds them all
    // (started, not awaited through the test client, which would skip time and fire the day's clocks)
    await harness.env.client.workflow.start('statsRollup', {
      taskQueue: harness.stack.taskQueue,
      workflowId: `stats-rollup-${Date.now()}`,
    });
    await eventually(async () => expect(await rollups.state.findById('state').lean()).toMatchObject({ run: 1 }));
    expect(await rollups.folded.countDocuments({ run: 1 })).toBe(6); // A–F
    expect(await rollups.rollups.findById('m:departments:2026-12').lean()).toBeTruthy();
    expect(await figures()).toEqual(before);

    // a case changing after the fold: read as the rollups less its folded record plus its facts now
    const G = (await raise('urgent')).caseId;
    await cases().act(G, 'acknowledge', { actor: enforcement });
    await eventually(async () => {
      const res = await get(supervisor, `/stats/departments?${DAY}`);
      expect(res.body.rows[0]).toMatchObject({ departmentId: 'dept-enforcement', called: 6, reportedOnTime: 5 });
    });
    const withG = await figures();
    // folded (a fold's clock a minute on, so G's minute is behind its watermark), the figures do not move;
    // a second run finds nothing new
    const second = await foldRollups(rollups, new Date(Date.now() + 2 * MINUTE));
    expect(second).toMatchObject({ run: 2, rebuilt: false, cases: 1 });
    expect(await figures()).toEqual(withG);
    expect(await foldRollups(rollups, new Date(Date.now() + 3 * MINUTE))).toMatchObject({ run: 3, cases: 0 });
    expect(await figures()).toEqual(withG);

    // a fold that stopped after marking its cases (a crashed activity) finishes on its retry, counting once
    await cases().act(G, 'acknowledge', { actor: planning });
    await eventually(async () => {
      const res = await get(supervisor, `/stats/departments?${DAY}`);
      expect(res.body.rows.at(-1)).toMatchObject({ departmentId: 'dept-planning', called: 5, reportedOnTime: 5 });
    });
    const withG2 = await figures();
    const state = (await rollups.state.findById('state').lean())!;
    const held = (await rollups.folded.findById(G).lean())!;
    const now = (await rollups.facts.findById(G).lean())!;
    const next = { run: state.run + 1, through: new Date(Date.now() + 4 * MINUTE).toISOString().slice(0, 16) };
    await rollups.folded.replaceOne(
      { _id: G },
      { _id: G, run: next.run, record: { facts: now.facts, marks: now.marks ?? {} }, prev: held.record },
    );
    await rollups.state.updateOne({ _id: 'state' }, { $set: { next } });
    expect(await figures()).toEqual(withG2); // a marked case is read as the rollups still hold it
    expect(await foldRollups(rollups, new Date(Date.now() + 5 * MINUTE))).toMatchObject({ run: next.run, cases: 1 });
    expect(await figures()).toEqual(withG2);
    expect(await foldRollups(rollups, new Date(Date.now() + 6 * MINUTE))).toMatchObject({ cases: 0 });
    expect(await figures()).toEqual(withG2);
    // the rollups alone: a watermark so far on that no change is read beside them
    await foldRollups(rollups, new Date(Date.now() + 30 * MINUTE));
    expect(await figures()).toEqual(withG2);
    // most of a month: the month's rollup less the days outside the period, exactly
    const most = await get(supervisor, '/stats/departments?from=2026-12-01&to=2026-12-30');
    expect(most.body.rows).toEqual(withG2.departments.rows);
    const rest = await get(supervisor, '/stats/townships?from=2026-12-08&to=2026-12-31'); // every case is on the 7th
    expect(rest.body.rows).toEqual([]);
    expect((await get(supervisor, '/stats/departments?from=2026-12-08&to=2026-12-31')).body.rows).toEqual([]);
  });
});

/** Reads server-sent events from a fetch stream until `done` says enough. */
async function readEvents(res: Response, done: (events: { id: string; event: string; data: any }[]) => boolean) {
  const reader = res.body!.getReader();
  const events: { id: string; event: string; data: any }[] = [];
  let buffer = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += Buffer.from(value).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.match(new RegExp(`^${name}: ?(.*)$`, 'm'))?.[1];
      const data = field('data');
      if (data) events.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

describe('when a supervisor watches the overdue stream as a case breaches and is cured', () => {
  it('then it reads the breach, the escalation and the cure as they are recorded, in the overdue row shape', async () => {
    const open = async (actor: Actor | undefined, headers: Record<string, string> = {}) =>
      fetch(`${harness.stack.baseUrl}/api/v1/overdue/stream`, {
        headers: { ...headers, ...(actor ? { authorization: `Bearer ${await harness.stack.token(actor)}` } : {}) },
      });
    expect((await open(undefined)).status).toBe(401);
    const watching = await open(supervisor);
    expect(watching.status).toBe(200);
    expect(watching.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ownTownship = await open(township);

    const { caseId, raisedAt } = await raise('urgent');
    await cases().act(caseId, 'acknowledge', { actor: enforcement });
    await skipTo(raisedAt + 31 * MINUTE); // planning's 30 minutes run out: breach and reminder
    await cases().act(caseId, 'acknowledge', { actor: planning }); // the cure

    const mine = (e: { data: { caseId: string } }) => e.data.caseId === caseId;
    const events = (await readEvents(watching, (es) => es.filter(mine).length >= 3)).filter(mine);
    expect(events.map((e) => `${e.event} ${e.data.clock} ${e.data.event.type}`)).toEqual([
      'breach duty:dept-planning:acknowledge duty.overdue',
      'escalation duty:dept-planning:acknowledge duty.escalated',
      'cure duty:dept-planning:acknowledge duty.acknowledged',
    ]);
    const deadline = new Date(raisedAt + 30 * MINUTE).toISOString();
    expect(events[0]!.data).toMatchObject({ caseId, townshipId: 'tw-nanpuxi', late: 'dept-planning', deadline });
    expect(events[1]!.data.rung).toBe('reminder');
    expect(events[2]!.data.lateByMs).toBeGreaterThanOrEqual(MINUTE);
    const townshipSees = (await readEvents(ownTownship, (es) => es.filter(mine).length >= 3)).filter(mine);
    expect(townshipSees.map((e) => e.event)).toEqual(['breach', 'escalation', 'cure']);

    // a client that reconnects after the breach gets what followed it, from Last-Event-ID on
    const resumed = await open(supervisor, { 'last-event-id': events[0]!.id });
    const replay = (await readEvents(resumed, (es) => es.filter(mine).length >= 2)).filter(mine);
    expect(replay.map((e) => e.event)).toEqual(['escalation', 'cure']);
  });
});
