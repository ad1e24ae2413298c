import type { Actor } from '../../domain/identity';
import type { RaiseWhistle } from '../../domain/whistle';

export const township: Actor = { accountId: 'lead-nanpuxi', role: 'township', orgUnitId: 'tw-nanpuxi' };
export const otherTownship: Actor = { accountId: 'lead-luoyang', role: 'township', orgUnitId: 'tw-luoyang' };
export const enforcement: Actor = { accountId: 'officer-zhifa', role: 'department', orgUnitId: 'dept-enforcement' };
export const planning: Actor = { accountId: 'officer-ziguì', role: 'department', orgUnitId: 'dept-planning' };
export const ecology: Actor = { accountId: 'officer-shengtai', role: 'department', orgUnitId: 'dept-ecology' };
export const supervisor: Actor = { accountId: 'duchá-1', role: 'supervisor' };

export function illegalConstruction(overrides: Partial<RaiseWhistle> = {}): RaiseWhistle {
  return {
    title: '违法建设 / Illegal construction on farmland',
    description: '村民在基本农田上搭建砖混结构房屋 / A brick house is being built on basic farmland',
    urgency: 'normal',
    location: { townshipId: township.orgUnitId!, gridId: 'grid-07', address: '南浦溪镇下村 12 号' },
    departmentIds: [enforcement.orgUnitId!, planning.orgUnitId!],
    ...overrides,
  };
}
