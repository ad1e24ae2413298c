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

export const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * Minutes counted by tenths: `{ "<minutes × 10, rounded>": how many }`. Rounding is monotone, so
 * the k-th smallest rounded value is the k-th smallest value rounded: percentiles read from the
 * histogram are exactly those of the values, and histograms add and subtract like counts.
 */
export type Histogram = Record<string, number>;

const histogramOf = (values: number[]): Histogram => {
  const h: Histogram = {};
  for (const v of values) h[String(Math.round(v * 10))] = (h[String(Math.round(v * 10))] ?? 0) + 1;
  return h;
};

/** Nearest-rank percentiles of a histogram, in minutes to a tenth (null when it counts nothing): one sort for all. */
export function histogramPercentiles(h: Histogram, ps: number[]): (number | null)[] {
  const entries = Object.entries(h)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return ps.map((p) => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const [tenths, n] of entries) if ((seen += n) >= rank) return tenths / 10;
    return null;
  });
}

/** Nearest-rank percentile of a histogram, in minutes to a tenth; null when it counts nothing. */
export const histogramPercentile = (h: Histogram, p: number) => histogramPercentiles(h, [p])[0]!;

/** Nearest-rank percentile of minutes, rounded to a tenth; null without values. */
export function percentile(values: number[], p: number): number | null {
  return histogramPercentile(histogramOf(values), p);
}

const ratio = (n: number, d: number) => (d === 0 ? null : round(n / d, 4));
const meanOf = (sum: number, count: number) => (count === 0 ? null : round(sum / count, 2));
const spread = (h: Histogram) => {
  const [p50Minutes, p90Minutes] = histogramPercentiles(h, [50, 90]);
  return { p50Minutes: p50Minutes ?? null, p90Minutes: p90Minutes ?? null };
};

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

/*
 * Tallies: what the rows are computed from, as sums that add and subtract (counts, rating sums,
 * histograms), so a rollup can hold them per month or day and a changed case can be taken out and
 * put back in. `n` counts what made the unit appear (a duty or an escalation; a case): a unit whose
 * `n` is 0 has no row.
 */
export interface DepartmentTally {
  n: number;
  called: number;
  reportedOnTime: number;
  onSiteOnTime: number;
  reportTime: Histogram;
  leadCases: number;
  resolved: number;
  acceptedFirstTime: number;
  sentBack: number;
  resolveTime: Histogram;
  ratings: { speed: number; attitude: number; result: number; count: number };
  escalations: Record<EscalationLevel, number>;
  declinesRaised: number;
  declinesUpheld: number;
  suspensions: number;
}

export interface TownshipTally {
  n: number;
  withdrawn: number;
  merged: number;
  worked: number;
  resolved: number;
  cooperation: { sum: number; count: number };
  verifications: number;
  verifiedInTime: number;
  verificationTime: Histogram;
}

export interface MatterTally {
  used: number;
  raised: number;
  upheld: number;
}

/** Every unit's tally, by kind and unit id. */
export interface Tallies {
  departments: Record<string, DepartmentTally>;
  townships: Record<string, TownshipTally>;
  matters: Record<string, MatterTally>;
}

export const TALLY_KINDS = ['departments', 'townships', 'matters'] as const;
export type TallyKind = (typeof TALLY_KINDS)[number];

export const emptyTallies = (): Tallies => ({ departments: {}, townships: {}, matters: {} });

type Numbers = { [key: string]: number | Numbers };

/** Adds `source` (times `sign`) into `target`, field by field, and returns `target`. */
export function addInto<T extends object>(target: T, source: T, sign: 1 | -1 = 1): T {
  const into = target as unknown as Numbers;
  for (const [key, value] of Object.entries(source as unknown as Numbers)) {
    if (typeof value === 'number') {
      const sum = ((into[key] as number | undefined) ?? 0) + sign * value;
      into[key] = sum;
    } else into[key] = addInto((into[key] as Numbers | undefined) ?? {}, value, sign);
  }
  return target;
}

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

const noEscalations = () => Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, 0])) as Record<EscalationLevel, number>;

function departmentTallies({ facts, marks }: CaseRecord): Record<string, DepartmentTally> {
  const tallies: Record<string, DepartmentTally> = {};
  if (!isWorked(facts)) return tallies;
  const of = (id: string): DepartmentTally =>
    (tallies[id] ??= {
      n: 0,
      called: 0,
      reportedOnTime: 0,
      onSiteOnTime: 0,
      reportTime: {},
      leadCases: 0,
      resolved: 0,
      acceptedFirstTime: 0,
      sentBack: 0,
      resolveTime: {},
      ratings: { speed: 0, attitude: 0, result: 0, count: 0 },
      escalations: noEscalations(),
      declinesRaised: 0,
      declinesUpheld: 0,
      suspensions: 0,
    });
  for (const d of facts.duties) {
    const t = of(d.departmentId);
    t.n += 1;
    t.declinesRaised += d.declinesRaised;
    t.declinesUpheld += d.declinesUpheld;
    t.suspensions += d.suspensions;
    if (d.excused) continue;
    t.called += 1;
    t.reportedOnTime += d.reportedOnTime ? 1 : 0;
    t.onSiteOnTime += d.onSiteOnTime ? 1 : 0;
    if (d.reportMinutes !== undefined) addInto(t.reportTime, histogramOf([d.reportMinutes]));
    for (const r of d.ratings) addInto(t.ratings, { speed: r.speed, attitude: r.attitude, result: r.result, count: 1 });
    if (d.role !== 'lead') continue;
    t.leadCases += 1;
    t.resolved += d.resolved ? 1 : 0;
    t.acceptedFirstTime += d.acceptedFirstTime ? 1 : 0;
    t.sentBack += d.sentBack;
    if (d.resolveMinutes !== undefined) addInto(t.resolveTime, histogramOf([d.resolveMinutes]));
  }
  for (const m of Object.values(marks))
    if (m.departmentId && m.level) {
      const t = of(m.departmentId);
      t.n += 1;
      t.escalations[m.level] += 1;
    }
  return tallies;
}

function townshipTally(record: CaseRecord): TownshipTally {
  const { facts, marks } = record;
  const worked = isWorked(facts);
  const resolved = worked && facts.duties.some((d) => d.resolved);
  const verdicts = Object.values(marks).filter((m) => m.type === 'case.verified');
  return {
    n: 1,
    withdrawn: facts.status === 'withdrawn' ? 1 : 0,
    merged: facts.status === 'merged' ? 1 : 0,
    worked: worked ? 1 : 0,
    resolved: resolved ? 1 : 0,
    cooperation: { sum: facts.cooperation.reduce((a, b) => a + b, 0), count: facts.cooperation.length },
    verifications: verdicts.length,
    verifiedInTime: verdicts.filter((m) => !m.silent).length,
    verificationTime: histogramOf(verifyMinutes(record)),
  };
}

/** What one case adds to each unit's figures. */
export function talliesOf(record: CaseRecord): Tallies {
  const { facts } = record;
  const t = emptyTallies();
  t.departments = departmentTallies(record);
  if (facts.direction === 'to_department') t.townships[facts.townshipId] = townshipTally(record);
  if (facts.matterCode) {
    const declines = (k: 'declinesRaised' | 'declinesUpheld') => facts.duties.reduce((n, d) => n + d[k], 0);
    t.matters[facts.matterCode] = { used: 1, raised: declines('declinesRaised'), upheld: declines('declinesUpheld') };
  }
  return t;
}

/** The cases' tallies added up. */
export function sumTallies(records: CaseRecord[]): Tallies {
  return records.reduce((sum, r) => addInto(sum, talliesOf(r)), emptyTallies());
}

const present = <T extends { n: number }>(units: Record<string, T>) =>
  Object.entries(units)
    .filter(([, t]) => t.n > 0)
    .sort(([a], [b]) => a.localeCompare(b));

/** Per department, from the tallies (one department's row only, with `only`). */
export function departmentRowsOf(units: Record<string, DepartmentTally>, only?: string) {
  return present(units)
    .filter(([id]) => !only || id === only)
    .map(([departmentId, t]) => ({
      departmentId,
      called: t.called,
      reportedOnTime: t.reportedOnTime,
      reportRate: ratio(t.reportedOnTime, t.called),
      onSiteOnTime: t.onSiteOnTime,
      reportTime: spread(t.reportTime),
      resolveTime: spread(t.resolveTime),
      leadCases: t.leadCases,
      resolved: t.resolved,
      resolutionRate: ratio(t.resolved, t.leadCases),
      acceptedFirstTime: t.acceptedFirstTime,
      sentBack: t.sentBack,
      satisfaction: {
        speed: meanOf(t.ratings.speed, t.ratings.count),
        attitude: meanOf(t.ratings.attitude, t.ratings.count),
        result: meanOf(t.ratings.result, t.ratings.count),
        count: t.ratings.count,
      },
      escalations: { ...noEscalations(), ...t.escalations },
      declines: { raised: t.declinesRaised, upheld: t.declinesUpheld },
      suspensions: t.suspensions,
    }));
}
export type DepartmentRow = ReturnType<typeof departmentRowsOf>[number];

export function departmentRows(records: CaseRecord[], only?: string): DepartmentRow[] {
  return departmentRowsOf(sumTallies(records).departments, only);
}

/** A township's grid reports in the period (store/grid-reports.ts counts them by the day each happened). */
export interface GridReportCounts {
  filed: number;
  handled: number;
  whistled: number;
}

/** Per township: whistles raised, withdrawn, merged; the departments' cooperation rating; verification speed. */
export function townshipRowsOf(
  units: Record<string, TownshipTally>,
  gridReports: ReadonlyMap<string, GridReportCounts> = new Map(),
) {
  const rows = new Map(present(units));
  // a township whose grid reports were all handled at township level has a row too
  for (const townshipId of gridReports.keys()) if (!rows.has(townshipId)) rows.set(townshipId, undefined as never);
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([townshipId, t]) => ({
      townshipId,
      raised: t?.n ?? 0,
      withdrawn: t?.withdrawn ?? 0,
      merged: t?.merged ?? 0,
      resolved: t?.resolved ?? 0,
      resolutionRate: ratio(t?.resolved ?? 0, t?.worked ?? 0),
      cooperation: {
        rating: meanOf(t?.cooperation.sum ?? 0, t?.cooperation.count ?? 0),
        count: t?.cooperation.count ?? 0,
      },
      verifications: t?.verifications ?? 0,
      verifiedInTime: t?.verifiedInTime ?? 0,
      verificationTime: spread(t?.verificationTime ?? {}),
      // grid reports (网格上报) filed, handled by the township itself, turned into whistles
      gridReports: gridReports.get(townshipId) ?? { filed: 0, handled: 0, whistled: 0 },
    }));
}
export type TownshipRow = ReturnType<typeof townshipRowsOf>[number];

export function townshipRows(records: CaseRecord[], gridReports?: ReadonlyMap<string, GridReportCounts>) {
  return townshipRowsOf(sumTallies(records).townships, gridReports);
}

/** Per matter: the cases raised on it, the declines it drew and how many were upheld (reassigned). */
export function matterCountsOf(units: Record<string, MatterTally>): Map<string, MatterTally> {
  return new Map(Object.entries(units).filter(([, t]) => t.used > 0));
}

export function matterCounts(records: CaseRecord[]): Map<string, MatterTally> {
  return matterCountsOf(sumTallies(records).matters);
}
