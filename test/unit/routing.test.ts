import { CURRENT_CALENDAR_VERSION } from '../../domain/calendars';
import { route, routeReverse, type ListInForce, type ReverseRequest } from '../../domain/routing';
import { demoMatter } from '../support/fixtures';
import { isRefusal } from '../../domain/case/refusal';

const list = (code?: string, overrides = {}): ListInForce => ({
  listVersion: 7,
  calendarVersion: CURRENT_CALENDAR_VERSION,
  ...(code ? { matter: { ...demoMatter(code), ...overrides } } : {}),
});

describe('when a whistle names a matter on the list', () => {
  it('then the lead and every co-operating department are called, with the matter version and list version kept', () => {
    const r = route({ matterCode: 'WJ-001', urgency: 'normal' }, list('WJ-001'));
    expect(r).toMatchObject({
      kind: 'routed',
      listVersion: 7,
      matter: { code: 'WJ-001', version: 1, reinspectionDays: 30 },
      departments: [
        { departmentId: 'dept-planning', role: 'lead' },
        { departmentId: 'dept-enforcement', role: 'cooperating' },
        { departmentId: 'dept-agriculture', role: 'cooperating' },
      ],
      profile: { id: 'normal' },
    });
  });

  it('then asking for some co-operating departments calls those and always the lead', () => {
    const r = route({ matterCode: 'WJ-001', urgency: 'normal', departmentIds: ['dept-agriculture'] }, list('WJ-001'));
    expect(!isRefusal(r) && r.kind === 'routed' && r.departments.map((d) => d.departmentId)).toEqual([
      'dept-planning',
      'dept-agriculture',
    ]);
  });

  it('then asking for a department the list does not name is refused, naming it', () => {
    const r = route(
      { matterCode: 'WJ-001', urgency: 'normal', departmentIds: ['dept-police', 'dept-planning'] },
      list('WJ-001'),
    );
    expect(isRefusal(r) && r.reason).toMatch(/does not name dept-police for matter WJ-001/);
  });

  it('then urgency picks the urgent profile whatever the matter, and a complex matter keeps its own', () => {
    const urgent = route({ matterCode: 'WJ-001', urgency: 'urgent' }, list('WJ-001'));
    expect(!isRefusal(urgent) && urgent.profile.id).toBe('urgent');
    const complex = route({ matterCode: 'WJ-001', urgency: 'normal' }, list('WJ-001', { slaProfile: 'complex' }));
    expect(!isRefusal(complex) && complex.profile.resolve).toEqual({ amount: 15, unit: 'working_day' });
  });
});

describe('when the list does not settle it', () => {
  it.each([
    ['no matter', undefined, list()],
    ['an unknown matter', 'ZZ-404', list()],
    ['a retired matter', 'WJ-001', list('WJ-001', { retired: true })],
  ])('then %s goes to the dispatch desk with the requested departments as a hint', (_case, matterCode, inForce) => {
    const r = route(
      { ...(matterCode ? { matterCode } : {}), urgency: 'normal', departmentIds: ['dept-water'] },
      inForce,
    );
    expect(r).toMatchObject({ kind: 'dispatch', requestedDepartmentIds: ['dept-water'], listVersion: 7 });
  });
});

describe('when a department whistles for a township (部门吹哨、乡镇报到)', () => {
  const request = (overrides: Partial<ReverseRequest> = {}): ReverseRequest => ({
    matterCode: 'SL-005',
    urgency: 'normal',
    townshipId: 'tw-nanpuxi',
    departmentId: 'dept-ecology',
    assistModule: 'safety',
    assistTasks: ['report', 'fix_evidence'],
    ...overrides,
  });

  it('then on its own matter, within the township role, it leads and the township assists', () => {
    expect(routeReverse(request(), list('SL-005'))).toMatchObject({
      kind: 'routed',
      matter: { code: 'SL-005' },
      profile: { id: 'complex' },
      departments: [
        { departmentId: 'dept-ecology', role: 'lead' },
        { departmentId: 'tw-nanpuxi', role: 'cooperating' },
      ],
      assist: {
        townshipId: 'tw-nanpuxi',
        module: 'safety',
        tasks: ['report', 'fix_evidence'],
        townshipRole: { zh: '发现报告、固定证据、配合调查取证' },
      },
    });
    // a co-operating department of the matter leads its own reverse whistle too
    expect(routeReverse(request({ departmentId: 'dept-water' }), list('SL-005'))).toMatchObject({ kind: 'routed' });
  });

  it.each<[string, ReverseRequest, ListInForce, string, RegExp]>([
    ['no matter', request({ matterCode: undefined }), list(), 'matterCode', /清单之外无属地管理事项/],
    ['a matter off the list', request({ matterCode: 'ZZ-1' }), list(), 'matterCode', /ZZ-1 is not on/],
    ['a retired matter', request(), list('SL-005', { retired: true }), 'matterCode', /SL-005 is not on/],
    ['another department', request({ departmentId: 'dept-police' }), list('SL-005'), 'matterCode', /dept-police/],
    ['a task beyond the role', request({ assistTasks: ['mediate'] }), list('SL-005'), 'assistTasks', /cover mediate/],
    [
      'a matter that gives the township no role',
      request(),
      list('SL-005', { townshipTasks: [] }),
      'assistTasks',
      /nothing a department may ask for/,
    ],
  ])('then %s is refused as invalid, naming the field', (_what, r, l, field, reason) => {
    const refused = routeReverse(r, l);
    expect(refused).toMatchObject({ kind: 'invalid', field });
    expect(isRefusal(refused) && refused.reason).toMatch(reason);
  });
});
