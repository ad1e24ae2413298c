/** Actors and whistles of the demo county (dev/demo-county), which the test stack loads. */
import { CURRENT_CALENDAR_VERSION } from '../../domain/calendars';
import type { Actor } from '../../domain/identity';
import type { Matter } from '../../domain/responsibility-list/schemas';
import { route, routeReverse, type Routing } from '../../domain/routing';
import { demoCounty } from '../../dev/demo-county/load';
import { isRefusal } from '../../domain/case/refusal';
import type { RaiseWhistle } from '../../domain/case/shape';

export const township: Actor = { accountId: 'acc-nanpuxi-lead', role: 'township', orgUnitId: 'tw-nanpuxi' };
export const otherTownship: Actor = { accountId: 'acc-luoyang-lead', role: 'township', orgUnitId: 'tw-luoyang' };
export const disabledTownship: Actor = {
  accountId: 'acc-luoyang-former-lead',
  role: 'township',
  orgUnitId: 'tw-luoyang',
};
export const enforcement: Actor = {
  accountId: 'acc-enforcement-officer',
  role: 'department',
  orgUnitId: 'dept-enforcement',
};
export const planning: Actor = { accountId: 'acc-planning-officer', role: 'department', orgUnitId: 'dept-planning' };
export const housing: Actor = { accountId: 'acc-housing-officer', role: 'department', orgUnitId: 'dept-housing' };
export const ecology: Actor = { accountId: 'acc-ecology-officer', role: 'department', orgUnitId: 'dept-ecology' };
export const supervisor: Actor = { accountId: 'acc-supervisor-ducha', role: 'supervisor' };
export const dispatcher: Actor = { accountId: 'acc-dispatch-day', role: 'dispatcher' };
export const admin: Actor = { accountId: 'acc-admin', role: 'admin' };
/** Module leads (模块分管领导) of tw-nanpuxi: the API takes the module from the account, not the token. */
export const enforcementModule: Actor = {
  accountId: 'acc-nanpuxi-enforcement',
  role: 'township',
  orgUnitId: 'tw-nanpuxi',
};
export const safetyModule: Actor = { accountId: 'acc-nanpuxi-safety', role: 'township', orgUnitId: 'tw-nanpuxi' };
/** Grid members (网格员): tw-nanpuxi's grid 07 (下村) and tw-luoyang's grid 01. */
export const gridMember: Actor = { accountId: 'acc-nanpuxi-grid07', role: 'grid', orgUnitId: 'tw-nanpuxi' };
export const otherGridMember: Actor = { accountId: 'acc-luoyang-grid01', role: 'grid', orgUnitId: 'tw-luoyang' };

/** WJ-006: unapproved temporary building — lead: enforcement, co-operating: planning. */
export function illegalConstruction(overrides: Partial<RaiseWhistle> = {}): RaiseWhistle {
  return {
    matterCode: 'WJ-006',
    title: '违法建设 / Unapproved temporary building',
    description: '村民在基本农田旁搭建临时砖房未拆除 / A temporary brick shed was never removed',
    urgency: 'normal',
    location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g07', address: '南浦溪镇下村 12 号' },
    ...overrides,
  };
}

/** A demo matter as the loaded list holds it (first version). */
export function demoMatter(code: string): Matter {
  const fields = demoCounty().matters.find((m) => m.code === code);
  if (!fields) throw new Error(`no demo matter ${code}`);
  return {
    ...fields,
    version: 1,
    listVersion: 1,
    effectiveFrom: '2026-01-01T00:00:00.000Z',
    retired: false,
    changedBy: 'test',
    changedAt: '2026-01-01T00:00:00.000Z',
    reason: 'test',
  };
}

/** Routes a whistle by the demo list, as the API does. */
export function routingFor(raise: RaiseWhistle): Routing {
  const routing = route(raise, {
    listVersion: 1,
    calendarVersion: CURRENT_CALENDAR_VERSION,
    ...(raise.matterCode ? { matter: demoMatter(raise.matterCode) } : {}),
  });
  if (isRefusal(routing)) throw new Error(routing.reason);
  return routing;
}

/**
 * A reverse whistle (部门吹哨、乡镇报到) on SL-005, abnormal river water — lead: ecology; the township's
 * role: report, fix evidence, assist the investigation. Ecology asks the safety module to report
 * and fix evidence.
 */
export function riverCheck(overrides: Partial<RaiseWhistle> = {}): RaiseWhistle {
  return {
    matterCode: 'SL-005',
    title: '河道水体异常排查 / abnormal river water',
    description: '下游死鱼，需乡镇安全模块配合排查取证 / dead fish downstream: the safety module is asked to help',
    urgency: 'urgent',
    location: { townshipId: 'tw-nanpuxi', gridId: 'tw-nanpuxi-g02', address: '南浦溪镇下游河段' },
    direction: 'to_township',
    assistModule: 'safety',
    assistTasks: ['report', 'fix_evidence'],
    ...overrides,
  };
}

/** Routes a reverse whistle by the demo list, as the API does for the department raising it. */
export function reverseRoutingFor(raise: RaiseWhistle, by: Actor): Routing {
  const routing = routeReverse(
    {
      ...raise,
      townshipId: raise.location.townshipId,
      departmentId: by.orgUnitId!,
      assistModule: raise.assistModule!,
      assistTasks: raise.assistTasks ?? [],
    },
    {
      listVersion: 1,
      calendarVersion: CURRENT_CALENDAR_VERSION,
      ...(raise.matterCode ? { matter: demoMatter(raise.matterCode) } : {}),
    },
  );
  if (isRefusal(routing)) throw new Error(routing.reason);
  return routing;
}
