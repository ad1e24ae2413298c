/**
 * The working calendar as data, through the API on the time-skipping test server: the warning 60
 * days before the official data runs out (the API, /readyz, the log once a day, the gauge); an
 * administrator loads a year's notice as JSON or CSV (422 naming a bad date, an overlap, a year
 * mismatch); a case raised after a load runs on it and one raised before keeps its version, each
 * overdue at its own deadline; and when the data truly runs out, a 503 naming the year and the fix.
 */
import { CN_2027_PROVISIONAL_NOTICE, type NoticeHoliday } from '../../domain/calendar';
import { createLogger } from '../../platform/logger';
import { eventually } from '../support/eventually';
import { admin, dispatcher, illegalConstruction, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { call } from '../support/http';
import { skippingTime } from '../support/skipping-time';

const logLines: string[] = [];
/** The API's clock, pinned by each test (to the test server's time where clocks run). */
let apiNow = Date.parse('2026-12-01T02:00:00.000Z');
const harness = useHarness('time-skipping', {
  logger: createLogger('api-test', 'info', { write: (line: string) => void logLines.push(line) }),
  now: () => new Date(apiNow),
});
const { env, cases, skipTo } = skippingTime(harness);

const api = async (method: string, path: string, as = admin, body?: unknown, headers?: Record<string, string>) =>
  call(harness.stack.baseUrl, method, `/api/v1${path}`, {
    token: await harness.stack.token(as),
    ...(body !== undefined ? { body, headers } : {}),
  });

/** The 2027 notice as published, with `change` applied to its holidays. */
const notice2027 = (change: (h: NoticeHoliday) => NoticeHoliday = (h) => h) => ({
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知 (test copy)',
  holidays: CN_2027_PROVISIONAL_NOTICE.holidays.map(change),
});
const longerDuanwu = (h: NoticeHoliday): NoticeHoliday =>
  h.name === '端午节' ? { name: '端午节', from: '2027-06-09', to: '2027-06-11', adjustedWorkdays: ['2027-06-12'] } : h;

const daysLeftGauge = async () => {
  const text = await fetch(`${harness.stack.baseUrl}/metrics`).then((r) => r.text());
  return Object.fromEntries(
    [...text.matchAll(/^whistle_calendar_days_left\{data="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );
};

const warningLogs = () =>
  logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => /^working calendar/.test(l.msg));

describe('when the official holiday data ends within 60 days (2026-12-01, 2027 provisional)', () => {
  it('then the API, /readyz and the gauge say so, and the log says it once that day', async () => {
    const res = await api('GET', '/calendar', township);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, id: 'cn-2026.2027p-v1', createdBy: 'built-in' });
    expect(res.body.years.map((y: { year: number; provisional: boolean }) => [y.year, y.provisional])).toEqual([
      [2026, false],
      [2027, true],
    ]);
    expect(res.body.coverage).toMatchObject({
      today: '2026-12-01',
      daysLeft: { official: 30, includingProvisional: 395 },
      nextYear: 2027,
      warning: expect.stringMatching(/official holiday data ends 2026-12-31 \(30 days left\); 2027 is provisional/),
    });
    expect(res.headers.get('warning')).toMatch(/^199 - "working calendar: official holiday data for 2027 is missing/);

    const ready = await call(harness.stack.baseUrl, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.details.calendar).toMatchObject({ daysLeft: { official: 30 }, warning: expect.any(String) });
    expect(await daysLeftGauge()).toEqual({ official: 30, including_provisional: 395 });

    await api('GET', '/calendar');
    expect(warningLogs()).toEqual([expect.objectContaining({ level: 40, msg: res.body.coverage.warning })]);
    apiNow += 24 * 3_600_000; // the next day, the log says it again, once
    await api('GET', '/calendar');
    await daysLeftGauge();
    expect(warningLogs()).toHaveLength(2);
    apiNow -= 24 * 3_600_000;
  });
});

describe('when an administrator loads a year', () => {
  it('then a bad date, an overlap or a year mismatch is a 422 naming it, and nothing is loaded', async () => {
    const badDate = await api('PUT', '/calendar/years/2027', admin, {
      ...notice2027(),
      holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-30' }],
    });
    expect(badDate.status).toBe(422);
    expect(badDate.body.errors).toEqual([
      { field: 'holidays[0].to', reason: "'2027-02-30' is not a date (YYYY-MM-DD) / 日期无效" },
    ]);
    const overlap = await api('PUT', '/calendar/years/2027', admin, {
      source: 'test',
      holidays: [
        { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
        { name: '青年节', from: '2027-05-04', to: '2027-05-04' },
      ],
    });
    expect(overlap.status).toBe(422);
    expect(overlap.body.detail).toMatch(/青年节 \(2027-05-04–2027-05-04\) overlaps 劳动节/);
    const mismatch = await api('PUT', '/calendar/years/2028', admin, notice2027());
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors[0]).toEqual({
      field: 'year',
      reason: 'the notice is for 2027, loaded as 2028 / 通知年度与载入年度不符',
    });
    const gap = await api('PUT', '/calendar/years/2029', admin, {
      source: 'test',
      holidays: [{ name: '元旦', from: '2029-01-01', to: '2029-01-01' }],
    });
    expect(gap.status).toBe(422);
    expect(gap.body.detail).toMatch(/load 2028 first/);
    const notAdmin = await api('PUT', '/calendar/years/2027', township, notice2027());
    expect(notAdmin.status).toBe(403);
    expect((await api('GET', '/calendar/versions')).body.items).toHaveLength(1);
  });

  it('then the 2027 notice (JSON) replaces the provisional year in version 2, with who and when, and the warning goes', async () => {
    const res = await api('PUT', '/calendar/years/2027', admin, notice2027());
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/calendar/versions/2');
    expect(res.headers.get('warning')).toBeNull();
    expect(res.body).toMatchObject({
      version: 2,
      id: 'cn-v2',
      createdBy: admin.accountId,
      createdAt: new Date(apiNow).toISOString(),
      loadedYear: 2027,
      coverage: { daysLeft: { official: 395, includingProvisional: 395 } },
    });
    expect(res.body.coverage.warning).toBeUndefined();
    expect(res.body.years.map((y: { provisional: boolean }) => y.provisional)).toEqual([false, false]);
    expect(await daysLeftGauge()).toEqual({ official: 395, including_provisional: 395 });
    expect((await call(harness.stack.baseUrl, 'GET', '/readyz')).body.details.calendar.warning).toBeUndefined();

    const history = await api('GET', '/calendar/versions', township);
    const rows = history.body.items.map((v: { version: number; id: string; createdBy: string }) => [
      v.version,
      v.id,
      v.createdBy,
    ]);
    expect(rows).toEqual([
      [1, 'cn-2026.2027p-v1', 'built-in'],
      [2, 'cn-v2', admin.accountId],
    ]);
    expect((await api('GET', '/calendar/versions/2', township)).body.years[1].provisional).toBe(false);
  });

  it('then the same year as CSV makes the next version; a wrong header is a 422', async () => {
    const csv = (rows: string[]) =>
      api('PUT', `/calendar/years/2027?source=${encodeURIComponent('2027 notice (CSV)')}`, admin, rows.join('\n'), {
        'content-type': 'text/csv',
      });
    expect((await csv(['name,start,end', '元旦,2027-01-01,2027-01-03'])).status).toBe(422);
    const lines = [
      'holiday,from,to,adjustedWorkdays',
      ...CN_2027_PROVISIONAL_NOTICE.holidays.map(
        (h) => `${h.name},${h.from},${h.to},${(h.adjustedWorkdays ?? []).join(';')}`,
      ),
    ];
    const res = await csv(lines);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 3, loadedYear: 2027 });
    expect(res.body.years[1]).toMatchObject({ year: 2027, source: '2027 notice (CSV)', provisional: false });
    expect(res.body.years[1].holidays[1]).toEqual({
      name: '春节',
      from: '2027-02-05',
      to: '2027-02-14',
      adjustedWorkdays: ['2027-01-31', '2027-02-20'],
    });
  });
});

describe('when a year is loaded between two whistles', () => {
  it('then the case raised after runs on it and the cases raised before keep their version (also when the desk routes one after), each overdue at its own deadline', async () => {
    // Tue 2027-06-08 16:00 in Shanghai: 2 working hours run 1.5 h today and 0.5 h on the next working day
    const tue1600 = Date.parse('2027-06-08T08:00:00.000Z');
    await skipTo(tue1600);
    const raise = async (whistle = illegalConstruction()) => {
      apiNow = await env().currentTimeMs();
      const res = await api('POST', '/whistles', township, whistle);
      expect(res.status).toBe(201);
      return res.body as { caseId: string; raisedAt: string; routing: { calendarVersion: string } };
    };
    const acknowledgeBy = (c: { duties: { departmentId: string; clocks: { acknowledge: { deadline: string } } }[] }) =>
      c.duties.find((d) => d.departmentId === 'dept-planning')!.clocks.acknowledge.deadline;
    const late = (raisedAt: string) => Date.parse(raisedAt) - tue1600;

    const inForce = (await api('GET', '/calendar')).body.id as string;
    const before = await raise(); // 端午 one day (Wed Jun 9): due Thu Jun 10 09:00
    const unclear = await raise(illegalConstruction({ matterCode: undefined })); // to the dispatch desk
    const loaded = await api('PUT', '/calendar/years/2027', admin, notice2027(longerDuanwu));
    expect(loaded.status).toBe(201);
    const after = await raise(); // 端午 Wed–Fri, Sat Jun 12 worked: due Sat Jun 12 09:00

    // the desk routes the unclear whistle after the load: its departments' clocks run on its own version
    const classified = await api('POST', `/whistles/${unclear.caseId}/classify`, dispatcher, { matterCode: 'WJ-006' });
    expect(classified.status).toBe(200);
    const calledAt = Date.parse(classified.body.duties[0].calledAt);
    expect(acknowledgeBy(classified.body)).toBe(
      new Date(Date.parse('2027-06-10T01:00:00.000Z') + calledAt - tue1600).toISOString(),
    );
    expect(classified.body.routing.calendarVersion).toBe(before.routing.calendarVersion);

    expect(before.routing.calendarVersion).toBe(inForce);
    expect(after.routing.calendarVersion).toBe(loaded.body.id);
    const dueBefore = Date.parse('2027-06-10T01:00:00.000Z') + late(before.raisedAt);
    const dueAfter = Date.parse('2027-06-12T01:00:00.000Z') + late(after.raisedAt);
    expect(acknowledgeBy(await cases().state(before.caseId))).toBe(new Date(dueBefore).toISOString());
    expect(acknowledgeBy(await cases().state(after.caseId))).toBe(new Date(dueAfter).toISOString());

    const overdue = async (caseId: string) =>
      (await cases().state(caseId)).duties.find((d) => d.departmentId === 'dept-planning')!.clocks.acknowledge
        .overdueSince;
    await skipTo(dueBefore + 60_000);
    await eventually(async () => expect(await overdue(before.caseId)).toBe(new Date(dueBefore).toISOString()));
    expect(await overdue(after.caseId)).toBeUndefined();
    await skipTo(dueAfter + 60_000);
    await eventually(async () => expect(await overdue(after.caseId)).toBe(new Date(dueAfter).toISOString()));
  });
});

describe('when the data truly runs out', () => {
  it('then a whistle whose deadlines reach 2028 is a 503 naming 2028 and the fix, and loading 2028 lets it through', async () => {
    apiNow = Date.parse('2027-12-24T02:00:00.000Z'); // Fri; 7 working days to resolve reach into January
    const refused = await api('POST', '/whistles', township, illegalConstruction());
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/no data for 2028-01-\d\d.*PUT \/api\/v1\/calendar\/years\/2028.*2028年数据/);

    const loaded = await api('PUT', '/calendar/years/2028', admin, {
      source: '国务院办公厅关于2028年部分节假日安排的通知 (test copy)',
      holidays: [{ name: '元旦', from: '2028-01-01', to: '2028-01-03' }],
    });
    expect(loaded.status).toBe(201);
    const raised = await api('POST', '/whistles', township, illegalConstruction());
    expect(raised.status).toBe(201);
    expect(raised.body.routing.calendar.years.map((y: { year: number }) => y.year)).toEqual([2027, 2028]);
  });
});
