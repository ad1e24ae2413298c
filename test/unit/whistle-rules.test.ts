import { canSeeCase } from '../../domain/access';
import { acknowledge, allReported, markOverdue, openCase, refuseAcknowledge } from '../../domain/whistle';
import { ecology, enforcement, illegalConstruction, otherTownship, planning, supervisor, township } from '../support/fixtures';

const raisedAt = new Date('2026-03-02T09:00:00.000Z');
const fresh = () => openCase('case-1', illegalConstruction(), township, raisedAt);

describe('when a whistle opens a case', () => {
  it('then every called department gets its own duty and a 2-hour acknowledge limit on a normal matter', () => {
    const c = fresh();
    expect(c.status).toBe('reporting');
    expect(c.duties).toEqual([
      { departmentId: 'dept-enforcement', status: 'called', calledAt: raisedAt.toISOString(), acknowledgeBy: '2026-03-02T11:00:00.000Z' },
      { departmentId: 'dept-planning', status: 'called', calledAt: raisedAt.toISOString(), acknowledgeBy: '2026-03-02T11:00:00.000Z' },
    ]);
  });

  it('then an urgent matter gives 30 minutes, and a department named twice is called once', () => {
    const c = openCase('case-2', illegalConstruction({ urgency: 'urgent', departmentIds: ['dept-a', 'dept-a'] }), township, raisedAt);
    expect(c.duties).toHaveLength(1);
    expect(c.duties[0]!.acknowledgeBy).toBe('2026-03-02T09:30:00.000Z');
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
    expect(both.duties[1]).toMatchObject({ acknowledgedAt: '2026-03-02T09:20:00.000Z', acknowledgedBy: planning.accountId });
  });

  it('then an overdue mark names the missed deadline and touches only that department, never an acknowledged one', () => {
    const one = acknowledge(fresh(), enforcement, new Date('2026-03-02T09:10:00Z'));
    const late = markOverdue(markOverdue(one, 'dept-planning'), 'dept-enforcement');
    expect(late.duties[0]!.overdueSince).toBeUndefined();
    expect(late.duties[1]!.overdueSince).toBe('2026-03-02T11:00:00.000Z');
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
});
