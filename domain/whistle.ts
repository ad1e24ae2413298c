/**
 * The whistle case as pure data and pure rules. Workflow code applies these functions to its
 * state; the API's Update validators call the same `refuse…` rules, so what the API accepts and what
 * the workflow does can never drift apart. No I/O, no clock: every instant is passed in.
 */
import { calendarByVersion } from './calendars';
import { advanceClock, CLOCKS, limitOf, milestones, startClock, type ClockName, type DutyClock, type Milestone } from './duty-clock';
import type { Actor } from './identity';
import type { DutyRole, RoutedMatter, Routing } from './routing';
import { SLA_PRESETS, type SlaProfile } from './sla';

export const URGENCIES = ['urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Grows with the lifecycle: `dispatching` = waiting for the dispatch desk, `reporting` =
 * departments are called, `in_progress` = all have reported for duty (they stay on the case:
 * 事不完、人不撤).
 */
export type CaseStatus = 'dispatching' | 'reporting' | 'in_progress' | 'awaiting_verification' | 'evaluating' | 'closed';

export interface Location {
  townshipId: string;
  gridId?: string;
  address: string;
  coordinates?: { lat: number; lng: number };
}

/** What a township submits when it blows the whistle. */
export interface RaiseWhistle {
  /** the responsibility-list matter; absent or unknown → the dispatch desk */
  matterCode?: string;
  title: string;
  description: string;
  urgency: Urgency;
  location: Location;
  /** departments asked for explicitly; accepted only where the list names them for the matter */
  departmentIds?: string[];
}

/**
 * One called department's obligation: report for duty (报到), then come on site, each step on its
 * own clock. One late department never moves another's clocks.
 */
export interface Duty {
  departmentId: string;
  role: DutyRole;
  status: 'called' | 'acknowledged' | 'on_site';
  calledAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  arrivedAt?: string;
  arrivedBy?: string;
  clocks: Record<ClockName, DutyClock>;
}

export interface WhistleCase {
  caseId: string;
  /** county-year-sequence, for people (absent on cases raised before numbering) */
  caseNumber?: string;
  title: string;
  description: string;
  urgency: Urgency;
  location: Location;
  raisedBy: Actor;
  raisedAt: string;
  status: CaseStatus;
  duties: Duty[];
  /** what the case was routed by, kept for its whole life */
  routing: CaseRouting;
  /** notes and evidence from any party, at any time (办理中跟踪) */
  progress?: ProgressNote[];
  /** the lead department's report of the result, while the township verifies it */
  resolution?: Resolution;
  /** the township's verdicts on reported results, newest last */
  verifications?: Verification[];
  /** both ways (双向考核评议): the township rates each department, each department the township */
  evaluation?: Evaluation;
  /** the dispatch desk's clock, while (and after) an unclear whistle waits to be classified */
  dispatch?: { clock: DutyClock; classifiedBy?: string };
}

export interface DepartmentRating {
  departmentId: string;
  /** 1–5 each */
  speed: number;
  attitude: number;
  result: number;
  comment?: string;
}

export interface Evaluation {
  /** until when the parties may rate; then the case closes with the ratings it has */
  evaluateBy: string;
  byTownship?: { at: string; by: string; ratings: DepartmentRating[] };
  byDepartments: { departmentId: string; at: string; by: string; cooperation: number; comment?: string }[];
  closedAt?: string;
  /** closed by the window running out rather than by every party rating */
  closedBySilence?: boolean;
}

export interface Evidence {
  kind: 'photo' | 'video' | 'audio' | 'document' | 'signature';
  uri: string;
  sha256: string;
  capturedAt?: string;
}

export interface ProgressNote {
  at: string;
  by: Actor;
  note: string;
  evidence: Evidence[];
}

export interface Resolution {
  resolvedAt: string;
  resolvedBy: Actor;
  summary: string;
  evidence: Evidence[];
  /** the township's verification limit */
  verifyBy: string;
}

export interface Verification {
  at: string;
  /** the township's account, or the system when the township stayed silent past its limit */
  by: Actor | { accountId: 'system'; role: 'system' };
  accepted: boolean;
  reason?: string;
  /** silence past the limit counted as acceptance */
  silent: boolean;
}

export interface CaseRouting {
  listVersion: number;
  calendarVersion: string;
  slaProfile: string;
  matter?: RoutedMatter;
  /** why the case went to the dispatch desk */
  dispatchReason?: string;
}

/** Why an action is refused: `forbidden` = not this caller's case/duty, `conflict` = not now. */
export interface Refusal {
  kind: 'forbidden' | 'conflict';
  reason: string;
}

export function openCase(caseId: string, raise: RaiseWhistle, raisedBy: Actor, raisedAt: Date, routing: Routing, caseNumber?: string): WhistleCase {
  const at = raisedAt.toISOString();
  const calendar = calendarByVersion(routing.calendarVersion);
  const departments = routing.kind === 'routed' ? routing.departments : [];
  // every clock runs from the whistle: report within 30 min and be on site within 2 h of it
  const clocks = (): Duty['clocks'] => ({
    acknowledge: startClock(routing.profile.acknowledge, raisedAt, calendar),
    onSite: startClock(routing.profile.onSite, raisedAt, calendar),
  });
  return {
    caseId,
    ...(caseNumber ? { caseNumber } : {}),
    title: raise.title,
    description: raise.description,
    urgency: raise.urgency,
    location: { ...raise.location },
    raisedBy,
    raisedAt: at,
    status: routing.kind === 'routed' ? 'reporting' : 'dispatching',
    duties: departments.map(({ departmentId, role }) => ({ departmentId, role, status: 'called', calledAt: at, clocks: clocks() })),
    ...(routing.kind === 'dispatch' ? { dispatch: { clock: startClock(routing.profile.classify, raisedAt, calendar) } } : {}),
    routing: {
      listVersion: routing.listVersion,
      calendarVersion: routing.calendarVersion,
      slaProfile: routing.profile.id,
      ...(routing.kind === 'routed' ? { matter: routing.matter } : { dispatchReason: routing.reason }),
    },
  };
}

/**
 * Every instant at which any clock of the case will speak. Computing them all up front proves the
 * working calendar covers the whole case: a gap throws CalendarRangeError before anything starts.
 */
export function scheduleOf(c: WhistleCase): Milestone[] {
  const calendar = calendarByVersion(c.routing.calendarVersion);
  const profile = profileOf(c);
  return c.duties.flatMap((d) => CLOCKS.flatMap((clock) => milestones(d.clocks[clock], limitOf(profile, clock), profile, calendar)));
}

/** The profile a case runs on (kept by id: the presets are versioned with the code). */
export function profileOf(c: WhistleCase): SlaProfile {
  return SLA_PRESETS[c.routing.slaProfile as keyof typeof SLA_PRESETS] ?? SLA_PRESETS.normal;
}

export function findDuty(c: WhistleCase, departmentId: string | undefined): Duty | undefined {
  return c.duties.find((d) => d.departmentId === departmentId);
}

/** Only a called department acts on its own duty. */
function refuseOutsider(c: WhistleCase, actor: Actor, action: string): Refusal | { duty: Duty } {
  if (actor.role !== 'department') return { kind: 'forbidden', reason: `only a called department may ${action} / 仅被吹哨部门可操作` };
  const duty = findDuty(c, actor.orgUnitId);
  if (!duty) return { kind: 'forbidden', reason: `department ${actor.orgUnitId ?? '?'} is not called on this case / 该部门未被吹哨` };
  return { duty };
}

/** A department reports for duty: only for its own duty, and only once. */
export function refuseAcknowledge(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report for duty');
  if (!('duty' in found)) return found;
  if (found.duty.status !== 'called') {
    return { kind: 'conflict', reason: `department ${found.duty.departmentId} already reported for duty at ${found.duty.acknowledgedAt} / 已报到` };
  }
  return undefined;
}

/** Coming on site follows reporting for duty, once. */
export function refuseArrival(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report arrival on site');
  if (!('duty' in found)) return found;
  if (found.duty.status === 'called') return { kind: 'conflict', reason: `report for duty first / 请先报到` };
  if (found.duty.status === 'on_site') return { kind: 'conflict', reason: `department ${found.duty.departmentId} is on site since ${found.duty.arrivedAt} / 已到场` };
  return undefined;
}

export function acknowledge(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return withStatus(updateDuty(c, actor.orgUnitId!, (d) => ({ ...d, status: 'acknowledged', acknowledgedAt: at.toISOString(), acknowledgedBy: actor.accountId, clocks: meet(d, 'acknowledge', at) })));
}

export function arrive(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return updateDuty(c, actor.orgUnitId!, (d) => ({ ...d, status: 'on_site', arrivedAt: at.toISOString(), arrivedBy: actor.accountId, clocks: meet(d, 'onSite', at) }));
}

/** Whether the step a clock asks for is done. */
export function clockMet(c: WhistleCase, departmentId: string, clock: ClockName): boolean {
  return findDuty(c, departmentId)?.clocks[clock].metAt !== undefined;
}

/** What a milestone does to the clock: a warning noted, the breach marked, a rung reached. */
export function passMilestone(c: WhistleCase, departmentId: string, clock: ClockName, m: Milestone): WhistleCase {
  return updateDuty(c, departmentId, (d) => ({ ...d, clocks: { ...d.clocks, [clock]: advanceClock(d.clocks[clock], m) } }));
}

export function allReported(c: WhistleCase): boolean {
  return c.duties.length > 0 && c.duties.every((d) => d.status !== 'called');
}

/** Any clock past its deadline and still unmet. */
export function isOverdue(c: WhistleCase): boolean {
  return c.duties.some((d) => Object.values(d.clocks).some((k) => k.overdueSince !== undefined && k.metAt === undefined));
}

function meet(d: Duty, clock: ClockName, at: Date): Duty['clocks'] {
  return { ...d.clocks, [clock]: { ...d.clocks[clock], metAt: at.toISOString() } };
}

function updateDuty(c: WhistleCase, departmentId: string, change: (d: Duty) => Duty): WhistleCase {
  return { ...c, duties: c.duties.map((d) => (d.departmentId === departmentId ? change(d) : d)) };
}

function withStatus(c: WhistleCase): WhistleCase {
  return { ...c, status: allReported(c) ? 'in_progress' : 'reporting' };
}
