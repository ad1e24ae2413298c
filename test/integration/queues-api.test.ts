/**
 * Work queues over HTTP (待办): a department's open clocks soonest deadline first, the desk's
 * unclassified whistles, the supervisor's declines awaiting a ruling and suspensions awaiting
 * approval — each read by the role it is for, and gone once done.
 */
import type { Actor } from '../../domain/identity';
import { dispatcher, enforcement, illegalConstruction, planning, supervisor, township } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { call } from '../support/http';
import { useHarness } from '../support/harness';

const harness = useHarness('dev-server');

const as = (actor: Actor) => harness.stack.token(actor);
const post = async (actor: Actor, path: string, body?: unknown) => {
  const res = await call(harness.stack.baseUrl, 'POST', `/api/v1/whistles${path}`, { token: await as(actor), body });
  expect(`${path}: ${res.status}`).toBe(`${path}: ${path === '' ? 201 : 200}`);
  return res.body;
};
const queue = async (actor: Actor, name: string) => {
  const res = await call(harness.stack.baseUrl, 'GET', `/api/v1/queues/${name}`, { token: await as(actor) });
  expect(res.status).toBe(200);
  return res.body.items as { caseId: string; waitingFor: string; deadline?: string; departmentId?: string }[];
};

describe('when departments, the desk and the supervisor read their queues', () => {
  it('then each sees what waits for it, soonest deadline first, and an item leaves once it is done', async () => {
    const normal = await post(township, '', illegalConstruction({ urgency: 'normal' }));
    const urgent = await post(township, '', illegalConstruction({ urgency: 'urgent' }));
    const unclear = await post(township, '', illegalConstruction({ matterCode: undefined }));

    const mine = await eventually(async () => {
      const items = (await queue(planning, 'duties')).filter((i) => [normal.caseId, urgent.caseId].includes(i.caseId));
      expect(items.length).toBe(4); // acknowledge and on site, on each case
      return items;
    });
    const deadlines = mine.map((i) => i.deadline!);
    expect(deadlines).toEqual([...deadlines].sort());
    expect(mine[0]).toMatchObject({ caseId: urgent.caseId, waitingFor: 'acknowledge' });
    expect((await queue(enforcement, 'duties')).some((i) => i.waitingFor === 'resolve')).toBe(true); // the lead

    await post(planning, `/${urgent.caseId}/acknowledge`);
    await eventually(async () => {
      const after = (await queue(planning, 'duties')).filter((i) => i.caseId === urgent.caseId);
      expect(after.map((i) => i.waitingFor)).toEqual(['onSite']);
    });

    await eventually(async () =>
      expect((await queue(dispatcher, 'desk')).map((i) => i.caseId)).toContain(unclear.caseId),
    );
    await post(dispatcher, `/${unclear.caseId}/classify`, { matterCode: 'WJ-006' });
    await eventually(async () =>
      expect((await queue(dispatcher, 'desk')).map((i) => i.caseId)).not.toContain(unclear.caseId),
    );

    await post(planning, `/${normal.caseId}/decline`, { reason: '属住建 / housing' });
    await post(enforcement, `/${normal.caseId}/suspend`, { reason: '等待许可 / waiting for a permit' });
    const waiting = await eventually(async () => {
      const items = (await queue(supervisor, 'supervision')).filter((i) => i.caseId === normal.caseId);
      expect(items.map((i) => `${i.waitingFor}:${i.departmentId}`).sort()).toEqual([
        'approval:dept-enforcement',
        'ruling:dept-planning',
      ]);
      return items;
    });
    expect(waiting[0]).toMatchObject({ waitingFor: 'ruling' }); // on its clock: before the approval
    await post(supervisor, `/${normal.caseId}/suspension/approve`, { departmentId: 'dept-enforcement' });
    await eventually(async () => {
      const items = (await queue(supervisor, 'supervision')).filter((i) => i.caseId === normal.caseId);
      expect(items.map((i) => i.waitingFor)).toEqual(['ruling']);
    });
  });
});

describe('when a supervisor exports the case list and a case history to CSV', () => {
  it('then Excel reads the Chinese (UTF-8 with BOM), a formula typed by a user is text, and the filters apply', async () => {
    const formula = '=HYPERLINK("https://evil.example","点我 / click")';
    const c = await post(township, '', illegalConstruction({ title: formula }));
    const text = async (path: string) => {
      const res = await fetch(`${harness.stack.baseUrl}/api/v1${path}`, {
        headers: { authorization: `Bearer ${await as(supervisor)}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      return Buffer.from(await res.arrayBuffer());
    };
    const csv = await eventually(async () => {
      const bytes = await text('/whistles/export?townshipId=tw-nanpuxi&format=csv');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark
      const body = bytes.toString('utf8');
      expect(body).toContain(c.caseId);
      return body;
    });
    expect(csv.split('\n')[0]).toMatch(/^\uFEFFcaseId,caseNumber,title,status/);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""点我 / click"")"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const other = (await text('/whistles/export?townshipId=tw-luoyang')).toString('utf8');
    expect(other).not.toContain(c.caseId);

    const history = await eventually(async () => {
      const body = (await text(`/whistles/${c.caseId}/history/export`)).toString('utf8');
      expect(body).toContain('whistle.raised');
      return body;
    });
    expect(history.split('\n')[0]).toBe('\uFEFFseq,type,at,accountId,role,data,prevHash,hash');
    const overdue = (await text('/overdue/export')).toString('utf8');
    expect(overdue.split('\n')[0]).toBe('\uFEFFcaseId,caseNumber,title,townshipId,clock,late,deadline,lateByMs,rung');
  });
});
