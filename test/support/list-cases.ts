/**
 * Cases for the lists' tests: opened by the demo list's rules in a few townships, matters and
 * urgencies, raised every few hours over most of a year, some of them moved on to other statuses.
 */
import type { WhistleCase } from '../../domain/case/shape';
import { openCase } from '../../domain/whistle';
import { illegalConstruction, routingFor, township } from './fixtures';

const TOWNSHIPS = ['tw-nanpuxi', 'tw-xiaxi', 'tw-shangyuan'];
const MATTERS = ['WJ-006', 'SL-005'];
const URGENCIES = ['normal', 'urgent'] as const;
const STATUSES = ['reporting', 'in_progress', 'closed', 'withdrawn'] as const;

export const caseId = (i: number) => `case-${String(i).padStart(5, '0')}`;

/** The i-th case: raised every `hours` hours from 2026-01-01, two in each hour slot share a raise time. */
export function listCase(i: number, hours = 4): WhistleCase {
  const townshipId = TOWNSHIPS[i % TOWNSHIPS.length]!;
  const raise = illegalConstruction({
    matterCode: MATTERS[i % MATTERS.length]!,
    urgency: URGENCIES[i % URGENCIES.length]!,
    title: `案件 ${i} / case ${i}`,
    location: { townshipId, gridId: `${townshipId}-g01`, address: '下村 12 号' },
  });
  const raisedAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * hours * 3_600_000);
  const c = openCase(caseId(i), raise, { ...township, orgUnitId: townshipId }, raisedAt, routingFor(raise));
  return { ...c, status: STATUSES[i % STATUSES.length]! };
}
