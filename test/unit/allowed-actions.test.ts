/** The actions a reader may take, asked of the refusal rules themselves: the page's buttons are the API's answers. */
import { CASE_ACTIONS } from '../../domain/actions';
import { allowedActions } from '../../domain/allowed-actions';
import { decline } from '../../domain/dispute';
import { acknowledge } from '../../domain/report-for-duty';
import { openCase, updateDuty } from '../../domain/whistle';
import {
  dispatcher,
  ecology,
  enforcement,
  illegalConstruction,
  planning,
  routingFor,
  supervisor,
  township,
} from '../support/fixtures';

const raisedAt = new Date('2026-03-02T07:00:00.000Z');
const fresh = () => openCase('case-1', illegalConstruction(), township, raisedAt, routingFor(illegalConstruction()));
const names = (actor: Parameters<typeof allowedActions>[1], c = fresh(), now = raisedAt) =>
  allowedActions(c, actor, now).map((a) => a.action);

describe('when a reader opens a case just raised', () => {
  it('then a called department may report for duty, decline, ask for a suspension and add progress', () => {
    expect(names(enforcement)).toEqual(['acknowledge', 'progress', 'decline', 'suspend']);
  });

  it('then the township may add progress and withdraw, but not yet remind (no clock is near its limit)', () => {
    expect(names(township)).toEqual(['progress', 'withdraw']);
  });

  it('then a department outside the case may do nothing, and the dispatcher may merge it as a duplicate', () => {
    expect(names(ecology)).toEqual([]);
    expect(names(dispatcher)).toContain('merge');
    expect(names(dispatcher)).not.toContain('classify');
  });

  it('then every allowed action is one its rule does not refuse, with the path of its row', () => {
    for (const actor of [enforcement, planning, township, supervisor, dispatcher]) {
      for (const a of allowedActions(fresh(), actor, raisedAt))
        expect(a.path).toBe(CASE_ACTIONS[a.action as keyof typeof CASE_ACTIONS].path);
    }
  });
});

describe('when the case moves on', () => {
  it('then a department that has reported may come on site and may no longer report', () => {
    const c = acknowledge(fresh(), enforcement, raisedAt);
    expect(names(enforcement, c)).toContain('arrive');
    expect(names(enforcement, c)).not.toContain('acknowledge');
  });

  it('then a decline awaiting a ruling gives the supervisor the ruling, naming the department', () => {
    const c = decline(fresh(), planning, raisedAt, { reason: '不属本部门 / not ours' });
    expect(allowedActions(c, supervisor, raisedAt)).toContainEqual({
      action: 'arbitrate',
      path: 'arbitration',
      targets: ['dept-planning'],
    });
  });

  it('then the township may remind the late department only, once its clock is late', () => {
    const late = new Date(raisedAt.getTime() + 3 * 3_600_000);
    const c = updateDuty(acknowledge(fresh(), enforcement, raisedAt), 'dept-planning', (d) => ({
      ...d,
      clocks: { ...d.clocks, acknowledge: { ...d.clocks.acknowledge, overdueSince: d.clocks.acknowledge.deadline } },
    }));
    const remind = allowedActions(c, township, late).find((a) => a.action === 'remind');
    expect(remind).toEqual({ action: 'remind', path: 'remind', targets: ['dept-planning'] });
  });
});
