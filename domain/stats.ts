/**
 * The supervisor's statistics (DOMAIN.md step 8: on-time report rate, resolution, satisfaction) as
 * pure rules. When a batch of a case's events is recorded, the case is condensed into its facts
 * (`caseFacts`, from the state after the batch) and its marks (`marksOf`, one per event that counts,
 * keyed by the event's sequence number so a retried batch never counts twice). The statistics are
 * sums over the facts and marks of the cases raised in a period.
 *
 * What counts, and where:
 * - A case counts on the local date (Asia/Shanghai, the working calendar's) it was raised.
 * - A withdrawn, merged or returned whistle is nobody's work: it counts for its township (raised,
 *   withdrawn, merged) and for its matter (used), never in a department's rates.
 * - A duty released by an upheld decline is excused (its lateness is not held against the
 *   department): not called, but its decline counts as raised and upheld.
 * - Times run in each limit's own time: working minutes where the SLA profile counts working time
 *   (normal, complex), wall minutes otherwise (urgent), less the time a suspension held the clock.
 *   "Report" is reporting for duty (报到, the acknowledge clock).
 * - Percentiles are nearest-rank: the smallest value with at least p % of the values at or below it.
 */
import { calendarOf, type CalendarChoice } from './calendars';
import { localDateOf, workingTimeBetween } from './calendar';
import type { CaseEvent } from './case-event';
import type { CaseStatus, Direction, DutyRole, Urgency } from './case/enums';
import type { Duty, DutyClock, Evaluation, Verification, WhistleCase } from './case/shape';
import { ESCALATION_LEVELS, isWorkingTime, SLA_PRESETS, type Limit, type SlaProfile } from './sla';

export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/** One called party's part in a case, as the statistics read it. */
export interface DutyFacts {
  departmentId: string;
  role: DutyRole;
  /** released by an upheld decline: not counted as called */
  excused: boolean;
  reportedOnTime: boolean;
  onSiteOnTime: boolean;
  /** from the call to reporting for duty, in the limit's own minutes, pauses left out */
  reportMinutes?: number;
  /** the lead: from its call to the result the township accepted */
  resolveMinutes?: number;
  /** the lead: the township accepted a result (in any round) */
  resolved: boolean;
  /** the lead: the first result reported was accepted */
  acceptedFirstTime: boolean;
  /** the lead: results sent back */
  sentBack: number;
  ratings: { speed: number; attitude: number; result: number }[];
  declinesRaised: number;
  declinesUpheld: number;
  /** suspensions approved (挂起) */
  suspensions: number;
}

/** A case condensed for the statistics; rewritten from the state after each recorded batch. */
export interface CaseFacts {
  caseId: string;
  /** YYYY-MM-DD and YYYY-MM (Shanghai) of `raisedAt` */
  day: string;
  month: string;
  townshipId: string;
  matterCode: string | null;
  urgency: Urgency;
  direction: Direction;
  status: CaseStatus;
  slaProfile: string;
  calendarVersion: string;
  /** the case's loaded calendar data (absent: the built-in version), for working minutes read later */
  calendar?: CalendarChoice['calendar'];
  duties: DutyFacts[];
  /** the departments' ratings of the township's cooperation (1–5) */
  cooperation: number[];
}

/** An event that counts, kept under its sequence number. */
export interface Mark {
  type: 'duty.escalated' | 'step.escalated' | 'case.resolved' | 'case.verified';
  at: string;
  departmentId?: string;
  level?: EscalationLevel;
  /** a verification by silence */
  silent?: boolean;
}

/** The case's facts and its marks keyed `e<seq>`, as the read model stores them. */
export interface CaseRecord {
  facts: CaseFacts;
  marks: Record<string, Mark>;
}

const MINUTE = 60_000;

function profileById(id: string): SlaProfile {
  return SLA_PRESETS[id as keyof typeof SLA_PRESETS] ?? SLA_PRESETS.normal;
}

/** Minutes between two instants in the limit's own time (working or wall). */
export function minutesIn(limit: Limit, calendar: CalendarChoice, from: string, to: string): number {
  const ms = isWorkingTime(limit)
    ? workingTimeBetween(calendarOf(calendar), new Date(from), new Date(to))
    : Math.max(0, Date.parse(to) - Date.parse(from));
  return ms / MINUTE;
}

const metOnTime = (k: DutyClock | undefined) => k?.metAt !== undefined && k.metAt <= k.deadline;

/** Every round's verifications and evaluations, oldest first (a reopened case keeps its earlier rounds). */
function rounds(c: WhistleCase): { verifications: Verification[]; evaluations: Evaluation[] } {
  const all = [...(c.previousRounds ?? []), c];
  return {
    verifications: all.flatMap((r) => r.verifications ?? []),
    evaluations: all.flatMap((r) => (r.evaluation ? [r.evaluation] : [])),
  };
}

function dutyFacts(c: WhistleCase, d: Duty, excused: boolean): DutyFacts {
  const profile = profileById(c.routing.slaProfile);
  const version = c.routing;
  const { verifications, evaluations } = rounds(c);
  const isLead = d.role === 'lead' && !excused;
  const resolved = isLead && verifications.some((v) => v.accepted);
  const ack = d.clocks.acknowledge;
  const ruled = (c.disputes ?? []).filter((x) => x.departmentId === d.departmentId);
  const accepted = resolved ? (c.resolution ?? c.previousRounds?.at(-1)?.resolution) : undefined;
  const suspensions = [...(d.suspensions ?? []), ...(d.suspension ? [d.suspension] : [])].filter(
    (s) => s.status === 'approved' || s.status === 'ended',
  );
  const resolveMinutes = accepted
    ? minutesIn(profile.resolve, version, d.calledAt, accepted.resolvedAt) -
      suspensions.reduce((sum, s) => {
        const from = s.decidedAt! > d.calledAt ? s.decidedAt! : d.calledAt;
        const to = s.resumedAt && s.resumedAt < accepted.resolvedAt ? s.resumedAt : accepted.resolvedAt;
        return sum + minutesIn(profile.resolve, version, from, to);
      }, 0)
    : undefined;
  return {
    departmentId: d.departmentId,
    role: d.role,
    excused,
    reportedOnTime: metOnTime(ack),
    onSiteOnTime: metOnTime(d.clocks.onSite),
    ...(ack.metAt
      ? { reportMinutes: minutesIn(profile.acknowledge, version, ack.countFrom ?? ack.startedAt, ack.metAt) }
      : {}),
    ...(resolveMinutes !== undefined ? { resolveMinutes } : {}),
    resolved,
    acceptedFirstTime: resolved && verifications[0]?.accepted === true,
    sentBack: isLead ? verifications.filter((v) => !v.accepted).length : 0,
    ratings: evaluations.flatMap((e) =>
      (e.byTownship?.ratings ?? [])
        .filter((r) => r.departmentId === d.departmentId && !excused)
        .map(({ speed, attitude, result }) => ({ speed, attitude, result })),
    ),
    // a released duty carries its upheld decline; a duty that stays, its open and rejected ones
    declinesRaised: excused
      ? ruled.filter((x) => x.ruling?.decision === 'uphold').length
      : ruled.filter((x) => x.ruling?.decision === 'reject').length + (d.dispute ? 1 : 0),
    declinesUpheld: excused ? ruled.filter((x) => x.ruling?.decision === 'uphold').length : 0,
    suspensions: suspensions.length,
  };
}

/** The case as the statistics read it, from its state after a recorded batch. */
export function caseFacts(c: WhistleCase): CaseFacts {
  const day = localDateOf(calendarOf(c.routing), new Date(c.raisedAt));
  return {
    caseId: c.caseId,
    day,
    month: day.slice(0, 7),
    townshipId: c.location.townshipId,
    matterCode: c.routing.matter?.code ?? null,
    urgency: c.urgency,
    direction: c.direction ?? 'to_department',
    status: c.status,
    slaProfile: c.routing.slaProfile,
    calendarVersion: c.routing.calendarVersion,
    ...(c.routing.calendar ? { calendar: c.routing.calendar } : {}),
    duties: [
      ...(c.releasedDuties ?? []).map((d) => dutyFacts(c, d, true)),
      ...c.duties.map((d) => dutyFacts(c, d, false)),
    ],
    cooperation: rounds(c).evaluations.flatMap((e) => e.byDepartments.map((r) => r.cooperation)),
  };
}

/** The marks a batch of events leaves, keyed `e<seq>`: escalations, results reported, verdicts. */
export function marksOf(events: CaseEvent[]): Record<string, Mark> {
  const marks: Record<string, Mark> = {};
  for (const e of events) {
    const base = { at: e.at };
    const departmentId = typeof e.data.departmentId === 'string' ? e.data.departmentId : undefined;
    if ((e.type === 'duty.escalated' || e.type === 'step.escalated') && departmentId)
      marks[`e${e.seq}`] = { type: e.type, ...base, departmentId, level: e.data.level as EscalationLevel };
    else if (e.type === 'case.resolved') marks[`e${e.seq}`] = { type: e.type, ...base };
    else if (e.type === 'case.verified') marks[`e${e.seq}`] = { type: e.type, ...base, silent: e.data.silent === true };
  }
  return marks;
}

const byTimeAndSeq = (marks: Record<string, Mark>) =>
  Object.entries(marks)
    .map(([key, m]) => ({ seq: Number(key.slice(1)), ...m }))
    .sort((a, b) => a.seq - b.seq);

/** Nearest-rank percentile of minutes, rounded to a tenth; null without values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!, 1);
}

export const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const ratio = (n: number, d: number) => (d === 0 ? null : round(n / d, 4));
const mean = (xs: number[]) => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length, 2));
const spread = (xs: number[]) => ({ p50Minutes: percentile(xs, 50), p90Minutes: percentile(xs, 90) });

/** A case that is somebody's work: raised to departments and neither withdrawn, merged nor returned. */
export const isWorked = (f: CaseFacts) =>
  f.direction === 'to_department' && !['withdrawn', 'merged', 'returned'].includes(f.status);

export interface StatsFilter {
  from: string;
  to: string;
  townshipId?: string;
  departmentId?: string;
  matterCode?: string;
  urgency?: Urgency;
}

/** The cases raised from `from` to `to` (local dates, both included) that pass the filters. */
export function inPeriod(records: CaseRecord[], f: StatsFilter): CaseRecord[] {
  return records.filter(
    ({ facts }) =>
      facts.day >= f.from &&
      facts.day <= f.to &&
      (!f.townshipId || facts.townshipId === f.townshipId) &&
      (!f.matterCode || facts.matterCode === f.matterCode) &&
      (!f.urgency || facts.urgency === f.urgency) &&
      (!f.departmentId || facts.duties.some((d) => d.departmentId === f.departmentId)),
  );
}

export function departmentRows(records: CaseRecord[], only?: string) {
  const rows = new Map<string, { duties: DutyFacts[]; escalations: Record<EscalationLevel, number> }>();
  const rowOf = (id: string) => {
    if (!rows.has(id))
      rows.set(id, { duties: [], escalations: Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, 0])) as never });
    return rows.get(id)!;
  };
  for (const { facts, marks } of records.filter((r) => isWorked(r.facts))) {
    for (const d of facts.duties) if (!only || d.departmentId === only) rowOf(d.departmentId).duties.push(d);
    for (const m of Object.values(marks))
      if (m.departmentId && m.level && (!only || m.departmentId === only)) rowOf(m.departmentId).escalations[m.level]++;
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([departmentId, { duties, escalations }]) => {
      const called = duties.filter((d) => !d.excused);
      const lead = called.filter((d) => d.role === 'lead');
      const ratings = called.flatMap((d) => d.ratings);
      const reportedOnTime = called.filter((d) => d.reportedOnTime).length;
      const resolved = lead.filter((d) => d.resolved).length;
      return {
        departmentId,
        called: called.length,
        reportedOnTime,
        reportRate: ratio(reportedOnTime, called.length),
        onSiteOnTime: called.filter((d) => d.onSiteOnTime).length,
        reportTime: spread(called.flatMap((d) => (d.reportMinutes === undefined ? [] : [d.reportMinutes]))),
        resolveTime: spread(lead.flatMap((d) => (d.resolveMinutes === undefined ? [] : [d.resolveMinutes]))),
        leadCases: lead.length,
        resolved,
        resolutionRate: ratio(resolved, lead.length),
        acceptedFirstTime: lead.filter((d) => d.acceptedFirstTime).length,
        sentBack: lead.reduce((n, d) => n + d.sentBack, 0),
        satisfaction: {
          speed: mean(ratings.map((r) => r.speed)),
          attitude: mean(ratings.map((r) => r.attitude)),
          result: mean(ratings.map((r) => r.result)),
          count: ratings.length,
        },
        escalations,
        declines: {
          raised: duties.reduce((n, d) => n + d.declinesRaised, 0),
          upheld: duties.reduce((n, d) => n + d.declinesUpheld, 0),
        },
        suspensions: duties.reduce((n, d) => n + d.suspensions, 0),
      };
    });
}
export type DepartmentRow = ReturnType<typeof departmentRows>[number];

/** Minutes from each reported result to the township's own verdict (silence is not a verdict). */
function verifyMinutes({ facts, marks }: CaseRecord): number[] {
  const verify = profileById(facts.slaProfile).verify;
  let resolvedAt: string | undefined;
  const minutes: number[] = [];
  for (const m of byTimeAndSeq(marks)) {
    if (m.type === 'case.resolved') resolvedAt = m.at;
    if (m.type === 'case.verified' && resolvedAt && !m.silent) minutes.push(minutesIn(verify, facts, resolvedAt, m.at));
  }
  return minutes;
}

/** A township's grid reports in the period (store/grid-reports.ts counts them by the day each happened). */
export interface GridReportCounts {
  filed: number;
  handled: number;
  whistled: number;
}

/** Per township: whistles raised, withdrawn, merged; the departments' cooperation rating; verification speed. */
export function townshipRows(records: CaseRecord[], gridReports: ReadonlyMap<string, GridReportCounts> = new Map()) {
  const byTownship = new Map<string, CaseRecord[]>();
  for (const r of records.filter((x) => x.facts.direction === 'to_department'))
    byTownship.set(r.facts.townshipId, [...(byTownship.get(r.facts.townshipId) ?? []), r]);
  // a township whose grid reports were all handled at township level has a row too
  for (const townshipId of gridReports.keys()) if (!byTownship.has(townshipId)) byTownship.set(townshipId, []);
  return [...byTownship.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([townshipId, cases]) => {
      const worked = cases.filter((r) => isWorked(r.facts));
      const cooperation = cases.flatMap((r) => r.facts.cooperation);
      const verdicts = cases.flatMap((r) => byTimeAndSeq(r.marks).filter((m) => m.type === 'case.verified'));
      return {
        townshipId,
        raised: cases.length,
        withdrawn: cases.filter((r) => r.facts.status === 'withdrawn').length,
        merged: cases.filter((r) => r.facts.status === 'merged').length,
        resolved: worked.filter((r) => r.facts.duties.some((d) => d.resolved)).length,
        resolutionRate: ratio(worked.filter((r) => r.facts.duties.some((d) => d.resolved)).length, worked.length),
        cooperation: { rating: mean(cooperation), count: cooperation.length },
        verifications: verdicts.length,
        verifiedInTime: verdicts.filter((m) => !m.silent).length,
        verificationTime: spread(cases.flatMap(verifyMinutes)),
        // grid reports (网格上报) filed, handled by the township itself, turned into whistles
        gridReports: gridReports.get(townshipId) ?? { filed: 0, handled: 0, whistled: 0 },
      };
    });
}
export type TownshipRow = ReturnType<typeof townshipRows>[number];

/** Per matter: the cases raised on it, the declines it drew and how many were upheld (reassigned). */
export function matterCounts(records: CaseRecord[]): Map<string, { used: number; raised: number; upheld: number }> {
  const counts = new Map<string, { used: number; raised: number; upheld: number }>();
  for (const { facts } of records) {
    if (!facts.matterCode) continue;
    const row = counts.get(facts.matterCode) ?? { used: 0, raised: 0, upheld: 0 };
    row.used += 1;
    row.raised += facts.duties.reduce((n, d) => n + d.declinesRaised, 0);
    row.upheld += facts.duties.reduce((n, d) => n + d.declinesUpheld, 0);
    counts.set(facts.matterCode, row);
  }
  return counts;
}
