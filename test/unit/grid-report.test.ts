/**
 * The pure rules of grid reports (domain/grid-report.ts) and of where accounts sit
 * (refuseAccountPlacement): who may file, read, handle and whistle, in which state.
 */
import {
  canSeeReport,
  claimForWhistle,
  fileReport,
  handle,
  refuseFile,
  refuseHandle,
  refuseWhistle,
  type GridReport,
} from '../../domain/grid-report';
import type { Actor } from '../../domain/identity';
import { refuseAccountPlacement, type Account, type Township } from '../../domain/organisation/schemas';
import { demoCounty } from '../../dev/demo-county/load';

const grid: Actor = { accountId: 'acc-g07', role: 'grid', orgUnitId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07' };
const lead: Actor = { accountId: 'acc-lead', role: 'township', orgUnitId: 'tw-nanpuxi', module: 'safety' };
const foreign: Actor = { accountId: 'acc-ly', role: 'township', orgUnitId: 'tw-luoyang' };
const at = new Date('2026-12-01T02:00:00Z');

const filed = (): GridReport =>
  fileReport('gr-1', grid, at, {
    category: 'fire_risk',
    description: '山林边堆放秸秆 / straw piled by the forest',
    location: { address: '上村' },
    evidence: [],
  });

describe('when a grid report is filed', () => {
  it('then only a grid member files, for its own grid, into its township', () => {
    expect(refuseFile(grid, {})).toBeUndefined();
    expect(refuseFile(grid, { gridId: 'tw-nanpuxi-g07' })).toBeUndefined();
    expect(refuseFile(grid, { gridId: 'tw-nanpuxi-g01' })?.kind).toBe('invalid');
    expect(refuseFile(lead, {})?.kind).toBe('forbidden');
    expect(filed()).toMatchObject({ townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', status: 'open' });
  });

  it('then its grid member, its township and the county-wide roles read it; other units do not', () => {
    const r = filed();
    expect(canSeeReport(r, grid)).toBe(true);
    expect(canSeeReport(r, lead)).toBe(true);
    expect(canSeeReport(r, { accountId: 'acc-sup', role: 'supervisor' })).toBe(true);
    expect(canSeeReport(r, foreign)).toBe(false);
    expect(canSeeReport(r, { ...grid, accountId: 'acc-g01' })).toBe(false);
    expect(canSeeReport(r, { accountId: 'acc-d', role: 'department', orgUnitId: 'dept-fire' })).toBe(false);
  });
});

describe('when the township decides on a grid report', () => {
  it('then an open report is handled or whistled by its township only', () => {
    const r = filed();
    expect(refuseHandle(r, lead)).toBeUndefined();
    expect(refuseWhistle(r, lead)).toBeUndefined();
    for (const actor of [foreign, grid]) {
      expect(refuseHandle(r, actor)?.kind).toBe('forbidden');
      expect(refuseWhistle(r, actor)?.kind).toBe('forbidden');
    }
  });

  it('then a handled report is neither handled again nor whistled; a whistled one answers its case again', () => {
    const handled = handle(filed(), lead, at, '已清理');
    expect(handled.handled).toEqual({ at: at.toISOString(), by: 'acc-lead', module: 'safety', note: '已清理' });
    expect(refuseHandle(handled, lead)?.kind).toBe('conflict');
    expect(refuseWhistle(handled, lead)?.kind).toBe('conflict');

    const claimed = claimForWhistle(filed(), lead, at, 'case-x');
    expect(claimed).toMatchObject({ status: 'whistling', whistle: { caseId: 'case-x', module: 'safety' } });
    expect(refuseWhistle(claimed, lead)).toBeUndefined();
    expect(refuseWhistle({ ...claimed, status: 'whistled' }, lead)).toBeUndefined();
    expect(refuseHandle(claimed, lead)?.reason).toMatch(/case-x/);
  });
});

describe('when an account is placed in a township', () => {
  const nanpuxi = demoCounty().townships.find((t) => t.id === 'tw-nanpuxi') as Township;
  const account = (fields: object) =>
    ({ id: 'acc-x', name: { zh: 'x', en: 'x' }, enabled: true, retired: false, ...fields }) as Account;

  it("then a module and a grid must be the township's own", () => {
    expect(
      refuseAccountPlacement(account({ role: 'township', orgUnitId: 'tw-nanpuxi', moduleKey: 'mediation' }), nanpuxi),
    ).toBeUndefined();
    expect(refuseAccountPlacement(account({ role: 'township', orgUnitId: 'tw-nanpuxi' }), nanpuxi)).toBeUndefined();
    expect(
      refuseAccountPlacement(account({ role: 'township', orgUnitId: 'tw-nanpuxi', moduleKey: 'fisheries' }), nanpuxi)
        ?.field,
    ).toBe('moduleKey');
    expect(
      refuseAccountPlacement(account({ role: 'grid', orgUnitId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g03' }), nanpuxi),
    ).toBeUndefined();
    expect(
      refuseAccountPlacement(account({ role: 'grid', orgUnitId: 'tw-nanpuxi', gridId: 'tw-luoyang-g01' }), nanpuxi)
        ?.field,
    ).toBe('gridId');
    expect(refuseAccountPlacement(account({ role: 'grid', orgUnitId: 'tw-gone', gridId: 'g' }), undefined)?.field).toBe(
      'orgUnitId',
    );
    expect(refuseAccountPlacement(account({ role: 'supervisor' }), undefined)).toBeUndefined();
  });
});
