/**
 * Re-inspection (复查): a closed case of a matter that calls for it is looked at again after the
 * matter's number of days. The whistle-blower confirms there is no recurrence, or reopens the case
 * to its lead, which answers for the result again on a fresh limit; earlier rounds stay on record.
 * Silence until the answer limit counts as no recurrence, recorded as such.
 */
import { calendarOf } from './calendars';
import { SYSTEM, type Move, type NewEvent } from './case-event';
import type { Actor } from './identity';
import { freshResolveLimit } from './resolution';
import { deadline } from './sla';
import { isVerifier, profileOf } from './whistle';
import type { Refusal } from './case/refusal';
import type { WhistleCase } from './case/shape';

const DAY_MS = 86_400_000;

export function reinspectionDays(c: WhistleCase): number | undefined {
  return c.routing.matter?.reinspectionDays;
}

export function armReinspection(c: WhistleCase, at: Date): WhistleCase {
  const due = new Date(at.getTime() + reinspectionDays(c)! * DAY_MS);
  const answerBy = deadline(profileOf(c).verify, due, calendarOf(c.routing));
  return { ...c, reinspection: { dueAt: due.toISOString(), answerBy: answerBy.toISOString() } };
}

export interface ReinspectionReport {
  recurred: boolean;
  note: string;
}

export function refuseReinspect(c: WhistleCase, actor: Actor): Refusal | undefined {
  // the party that verified the result re-inspects it: the township, also on a reverse whistle it assisted
  if (!isVerifier(c, actor))
    return { kind: 'forbidden', reason: 'only the unit that verified the result re-inspects / 仅验收单位可复查' };
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

/** The re-inspection is armed as the case closes: when it is due and which rule calls for it. */
export function armed(c: WhistleCase, at: Date): Move {
  const next = armReinspection(c, at);
  const data = {
    ...next.reinspection!,
    days: reinspectionDays(c),
    rule: `matter.${c.routing.matter!.code}.reinspection`,
  };
  return { next, event: { type: 'reinspection.armed', data } };
}

/** The township is told the re-inspection is due (once, even across continue-as-new). */
export function dueNotice(c: WhistleCase, at: Date): Move {
  const next = { ...c, reinspection: { ...c.reinspection!, dueNotifiedAt: at.toISOString() } };
  const { dueAt, answerBy } = next.reinspection;
  return { next, event: { type: 'reinspection.due', data: { dueAt, answerBy, notify: [c.raisedBy.orgUnitId] } } };
}

/** No answer by the limit: no recurrence, recorded as silence. */
export function silentNoRecurrence(c: WhistleCase, at: Date): Move {
  const next = reinspect(c, SYSTEM, at, {
    recurred: false,
    note: 'no answer by the limit: no recurrence / 逾期未答复，视为未复发',
  });
  const data = { recurred: false, silent: true, answerBy: next.reinspection!.answerBy };
  return { next, event: { type: 'reinspection.answered', data } };
}

/** A recurrence reopened the case: the lead answers for the result again. */
export function reopened(c: WhistleCase): NewEvent {
  const leadDepartmentId = c.duties.find((d) => d.role === 'lead')?.departmentId;
  return { type: 'case.reopened', data: { leadDepartmentId, reinspection: c.previousRounds!.at(-1)!.reinspection } };
}
