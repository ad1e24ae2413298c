/**
 * Re-inspection (复查): a closed case of a matter that calls for it is looked at again after the
 * matter's number of days. The whistle-blower confirms there is no recurrence, or reopens the case
 * to its lead, which answers for the result again on a fresh limit; earlier rounds stay on record.
 * Silence until the answer limit counts as no recurrence, recorded as such.
 */
import { calendarByVersion } from './calendars';
import type { Actor } from './identity';
import { freshResolveLimit } from './resolution';
import { deadline } from './sla';
import { isRaiser, profileOf } from './whistle';
import type { Refusal } from './case/refusal';
import type { WhistleCase } from './case/shape';

const DAY_MS = 86_400_000;

export function reinspectionDays(c: WhistleCase): number | undefined {
  return c.routing.matter?.reinspectionDays;
}

export function armReinspection(c: WhistleCase, at: Date): WhistleCase {
  const due = new Date(at.getTime() + reinspectionDays(c)! * DAY_MS);
  const answerBy = deadline(profileOf(c).verify, due, calendarByVersion(c.routing.calendarVersion));
  return { ...c, reinspection: { dueAt: due.toISOString(), answerBy: answerBy.toISOString() } };
}

export interface ReinspectionReport {
  recurred: boolean;
  note: string;
}

export function refuseReinspect(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (!isRaiser(c, actor))
    return { kind: 'forbidden', reason: 'only the unit that blew the whistle re-inspects / 仅吹哨单位可复查' };
  if (c.status !== 'closed' || !c.reinspection || c.reinspection.answeredAt)
    return { kind: 'conflict', reason: `the case is ${c.status}; no re-inspection is awaited / 无待复查` };
  return undefined;
}

/** The answer; a recurrence reopens the case to its lead with the history intact. */
export function reinspect(
  c: WhistleCase,
  by: Actor | { accountId: 'system' },
  at: Date,
  report: ReinspectionReport,
): WhistleCase {
  const reinspection = {
    ...c.reinspection!,
    answeredAt: at.toISOString(),
    answeredBy: by.accountId,
    recurred: report.recurred,
    note: report.note,
    silent: by.accountId === 'system',
  };
  if (!report.recurred) return { ...c, reinspection };
  // the new round counts its own send-backs
  const { resolution, evaluation, verifications, reinspection: _done, ...rest } = c;
  const round = {
    ...(resolution ? { resolution } : {}),
    ...(evaluation ? { evaluation } : {}),
    ...(verifications ? { verifications } : {}),
    reinspection,
  };
  return {
    ...freshResolveLimit(rest, at),
    status: 'in_progress',
    previousRounds: [...(c.previousRounds ?? []), round],
  };
}
