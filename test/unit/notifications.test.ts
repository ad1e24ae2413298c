import type { CaseEvent, CaseEventType } from '../../domain/case-event';
import { SYSTEM } from '../../domain/case-event';
import { recipientsOf, type Receiver } from '../../domain/notifications';
import { Department, Webhook } from '../../domain/organisation/schemas';
import { openCase } from '../../domain/whistle';
import { signBody, verifySignature } from '../../platform/webhook-signature';
import { outboxDocs } from '../../store/outbox';
import { dispatcher, enforcement, illegalConstruction, planning, routingFor, township } from '../support/fixtures';
import type { WhistleCase } from '../../domain/case/shape';

// WJ-006: lead enforcement, co-operating planning, raised by 南浦溪镇
const routed: WhistleCase = (() => {
  const raise = illegalConstruction();
  return openCase('case-n', raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
})();

function event(type: string, data: Record<string, unknown> = {}, actor: CaseEvent['actor'] = SYSTEM): CaseEvent {
  return { caseId: 'case-n', seq: 7, type: type as CaseEventType, at: '2026-03-02T02:00:00.000Z', actor, data };
}

const ids = (receivers: Receiver[]) => receivers.map((r) => r.id).sort();
const EVERYONE = ['dept-enforcement', 'dept-planning', 'tw-nanpuxi'];

describe('when a whistle is raised or classified', () => {
  it('then each called department hears of it', () => {
    expect(recipientsOf(event('whistle.raised', { duties: routed.duties }, township), routed)).toEqual([
      { id: 'dept-enforcement', kind: 'department' },
      { id: 'dept-planning', kind: 'department' },
    ]);
    const classified = event(
      'case.classified',
      { departments: [{ departmentId: 'dept-housing', role: 'lead' }] },
      dispatcher,
    );
    expect(ids(recipientsOf(classified, routed))).toEqual(['dept-housing']);
  });

  it('then a whistle with no department goes to the dispatch desk', () => {
    const raise = illegalConstruction({ matterCode: undefined });
    const unclear = openCase('case-d', raise, township, new Date('2026-03-02T01:00:00Z'), routingFor(raise));
    expect(recipientsOf(event('whistle.raised', { duties: [] }, township), unclear)).toEqual([
      { id: 'dispatch-desk', kind: 'county_office' },
    ]);
  });
});

describe('when a clock speaks', () => {
  it('then a warning reaches only the department it runs for', () => {
    expect(recipientsOf(event('duty.warned', { departmentId: 'dept-planning', fraction: 0.5 }), routed)).toEqual([
      { id: 'dept-planning', kind: 'department' },
    ]);
    expect(recipientsOf(event('duty.overdue', { departmentId: 'dept-planning' }), routed)).toEqual([
      { id: 'dept-planning', kind: 'department' },
    ]);
  });

  it('then an escalation reaches its ladder rung: the department head and the county offices', () => {
    const head = event('duty.escalated', {
      departmentId: 'dept-planning',
      level: 'department_head',
      notify: ['department', 'department_head'],
    });
    expect(recipientsOf(head, routed)).toEqual([{ id: 'dept-planning', kind: 'department', level: 'department_head' }]);
    const supervision = event('duty.escalated', {
      departmentId: 'dept-planning',
      level: 'county_supervision',
      notify: ['department_head', 'supervision_office'],
    });
    expect(recipientsOf(supervision, routed)).toEqual([
      { id: 'dept-planning', kind: 'department', level: 'department_head' },
      { id: 'supervision-office', kind: 'county_office' },
    ]);
    const leadership = event('duty.escalated', {
      departmentId: 'dept-planning',
      level: 'county_leadership',
      notify: ['supervision_office', 'county_leadership'],
    });
    expect(ids(recipientsOf(leadership, routed))).toEqual(['county-leadership', 'dept-planning', 'supervision-office']);
  });

  it('then the dispatch desk clock speaks to the desk and up its ladder', () => {
    const escalated = event('dispatch.escalated', {
      departmentId: 'dispatch-desk',
      notify: ['department_head', 'supervision_office'],
    });
    expect(recipientsOf(escalated, routed)).toEqual([
      { id: 'dispatch-desk', kind: 'county_office' },
      { id: 'supervision-office', kind: 'county_office' },
    ]);
  });

  it('then a step clock with a township assignee speaks to that township', () => {
    const overdue = event('step.overdue', {
      step: 'inspect',
      assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'safety' },
    });
    expect(recipientsOf(overdue, routed)).toEqual([{ id: 'tw-nanpuxi', kind: 'township' }]);
  });
});

describe('when the result is reported, verified and the case closed', () => {
  it('then the raising township hears of the reported result', () => {
    expect(recipientsOf(event('case.resolved', { summary: 'done' }, enforcement), routed)).toEqual([
      { id: 'tw-nanpuxi', kind: 'township' },
    ]);
  });

  it('then a case raised by a county account reports to the township where it is', () => {
    const byDesk = { ...routed, raisedBy: dispatcher, location: { ...routed.location, townshipId: 'tw-luoyang' } };
    expect(ids(recipientsOf(event('case.resolved', {}, enforcement), byDesk))).toEqual(['tw-luoyang']);
  });

  it('then a sent-back result reaches the lead department, an accepted one every department', () => {
    expect(
      ids(recipientsOf(event('case.verified', { accepted: false, reason: 'not removed' }, township), routed)),
    ).toEqual(['dept-enforcement']);
    expect(ids(recipientsOf(event('case.verified', { accepted: true, silent: true }), routed))).toEqual([
      'dept-enforcement',
      'dept-planning',
    ]);
  });

  it('then a second send-back escalates to the lead department head and the supervision office', () => {
    const escalated = event('case.escalated', {
      rule: 'verification.rejected-twice',
      notify: ['department_head', 'supervision_office'],
    });
    expect(recipientsOf(escalated, routed)).toEqual([
      { id: 'dept-enforcement', kind: 'department', level: 'department_head' },
      { id: 'supervision-office', kind: 'county_office' },
    ]);
  });

  it('then ratings reach the rated: departments rated by the township, the township rated by a department', () => {
    const byTownship = event(
      'case.evaluated',
      { ratings: [{ departmentId: 'dept-planning', speed: 4, attitude: 5, result: 4 }] },
      township,
    );
    expect(ids(recipientsOf(byTownship, routed))).toEqual(['dept-planning']);
    expect(ids(recipientsOf(event('case.evaluated', { cooperation: 5 }, planning), routed))).toEqual(['tw-nanpuxi']);
  });

  it('then closing the case reaches everyone on it', () => {
    expect(ids(recipientsOf(event('case.closed', { everyoneRated: true }), routed))).toEqual(EVERYONE);
  });
});

describe('when an event type is new or unknown', () => {
  it.each([
    'case.withdrawn',
    'dispute.ruled',
    'duty.resumed',
    'step.completed',
    'plan.made',
    'reinspection.due',
    'case.reopened',
  ])('then %s reaches every party on the case', (type) => {
    expect(ids(recipientsOf(event(type), routed))).toEqual(EVERYONE);
  });

  it.each(['duty.declined', 'duty.suspension-requested'])(
    'then %s reaches the supervision office, and every party',
    (type) => {
      expect(ids(recipientsOf(event(type), routed))).toEqual([...EVERYONE, 'supervision-office'].sort());
    },
  );

  it('then the arbitration clock speaks to the supervision office, whose ruling is late', () => {
    expect(
      ids(recipientsOf(event('dispute.overdue', { departmentId: 'dept-planning', notify: ['department'] }), routed)),
    ).toEqual(['supervision-office']);
  });

  it('then a merged case tells its raiser only', () => {
    expect(recipientsOf(event('case.merged', { into: 'case-m' }), routed)).toEqual([
      { id: 'tw-nanpuxi', kind: 'township' },
    ]);
  });

  it('then a family nobody knows reaches nobody, unless it carries an escalation list', () => {
    expect(recipientsOf(event('audit.sealed'), routed)).toEqual([]);
    expect(ids(recipientsOf(event('audit.sealed', { notify: ['county_leadership'] }), routed))).toEqual([
      'county-leadership',
    ]);
  });
});

describe('when a batch is put in the outbox', () => {
  it('then each event gets one entry per receiver, keyed caseId:seq:receiver', () => {
    const docs = outboxDocs(
      [
        { ...event('case.closed'), seq: 9 },
        { ...event('audit.sealed'), seq: 10 },
      ],
      routed,
      new Date('2026-03-02T03:00:00Z'),
    );
    expect(docs.map((d) => d._id).sort()).toEqual([
      'case-n:9:dept-enforcement',
      'case-n:9:dept-planning',
      'case-n:9:tw-nanpuxi',
    ]);
    const entry = docs.find((d) => d._id === 'case-n:9:tw-nanpuxi')!;
    expect(entry).toMatchObject({
      kind: 'delivery',
      eventId: 'case-n:9',
      status: 'pending',
      attempts: 0,
      payload: {
        eventId: 'case-n:9',
        type: 'case.closed',
        receiver: { id: 'tw-nanpuxi', kind: 'township' },
        case: { matterCode: 'WJ-006', townshipId: 'tw-nanpuxi' },
      },
    });
  });
});

describe('when a body is signed', () => {
  it('then the signature is the hex HMAC-SHA256 of the raw body', () => {
    // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('then it verifies with the same secret and body only', () => {
    const body = JSON.stringify({ eventId: 'case-n:7', note: '现场已固定证据' });
    const header = signBody(body, 's3cret');
    expect(verifySignature(body, 's3cret', header)).toBe(true);
    expect(verifySignature(`${body} `, 's3cret', header)).toBe(false);
    expect(verifySignature(body, 'other', header)).toBe(false);
    expect(verifySignature(body, 's3cret', 'sha256=00')).toBe(false);
    expect(verifySignature(body, 's3cret', undefined)).toBe(false);
  });
});

describe('when an org unit configures a webhook', () => {
  it('then an http(s) URL and the name of the secret variable are accepted', () => {
    const webhook = { url: 'https://hooks.example.gov.cn/whistle', secretRef: 'WEBHOOK_SECRET_DEPT_ENFORCEMENT' };
    expect(Webhook.parse(webhook)).toEqual(webhook);
    const dept = Department.parse({
      id: 'dept-x',
      code: 'X',
      name: { zh: '某局', en: 'X' },
      webhook: { url: 'http://127.0.0.1:9/hook', secretRef: 'WEBHOOK_SECRET_X' },
    });
    expect(dept.webhook?.secretRef).toBe('WEBHOOK_SECRET_X');
  });

  it('then a secret in clear, credentials in the URL or another scheme are refused', () => {
    expect(Webhook.safeParse({ url: 'https://hooks.example/x', secretRef: 'hunter2' }).success).toBe(false);
    expect(Webhook.safeParse({ url: 'https://user:pw@hooks.example/x', secretRef: 'WEBHOOK_SECRET_X' }).success).toBe(
      false,
    );
    expect(Webhook.safeParse({ url: 'ftp://hooks.example/x', secretRef: 'WEBHOOK_SECRET_X' }).success).toBe(false);
    expect(
      Webhook.safeParse({ url: 'https://hooks.example/x', secretRef: 'WEBHOOK_SECRET_X', secret: 'plain' }).success,
    ).toBe(false);
  });
});
