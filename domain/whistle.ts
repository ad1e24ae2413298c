/**
 * The whistle case as pure data and pure rules. Workflow code applies these functions to its
 * state; the API's Update validators call the same `refuse…` rules, so what the API accepts and what
 * the workflow does can never drift apart. No I/O, no clock: every instant is passed in.
 */
import { calendarByVersion } from './calendars';
import type { WorkingCalendar } from './calendar';
import {
  advanceClock,
  type CLOCKS,
  DUTY_CLOCKS,
  limitOf,
  milestones,
  startClock,
  type ClockName,
  type DutyClock,
  type Milestone,
} from './duty-clock';
import type { Actor } from './identity';
import type { EnforcementPlan } from './enforcement-plan';
import type { DutyRole, RoutedMatter, Routing } from './routing';
import { SLA_PRESETS, type Limit, type SlaProfile } from './sla';

export const URGENCIES = ['urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Grows with the lifecycle: `dispatching` = waiting for the dispatch desk, `reporting` =
 * departments are called, `in_progress` = all have reported for duty (they stay on the case:
 * 事不完、人不撤).
 */
export const CASE_STATUSES = [
  'dispatching',
  'reporting',
  'in_progress',
  'awaiting_verification',
  'evaluating',
  'closed',
  'withdrawn',
  'merged',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case that has ended for good: no clock speaks, no action is taken. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['withdrawn', 'merged'];

/** `to_department`: a township whistles for county departments; `to_township`: the reverse (部门吹哨、乡镇报到). */
export const DIRECTIONS = ['to_department', 'to_township'] as const;
export type Direction = (typeof DIRECTIONS)[number];

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
  /** evidence fixed at the scene (固定证据) */
  evidence?: Evidence[];
  /** absent = to_department; `to_township`: a department calls the township's module */
  direction?: Direction;
  /** the township module called by a reverse whistle (e.g. `safety`) */
  module?: string;
}

/**
 * One called department's obligation: report for duty (报到), then come on site, each step on its
 * own clock. One late department never moves another's clocks.
 */
export interface Duty {
  /** the called org unit: a county department, or the township on a reverse whistle */
  departmentId: string;
  role: DutyRole;
  /** the township module called by a reverse whistle */
  module?: string;
  status: 'called' | 'acknowledged' | 'on_site';
  calledAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  arrivedAt?: string;
  arrivedBy?: string;
  /** report for duty and be on site; the lead also has `resolve` (report the result) */
  clocks: Record<(typeof CLOCKS)[number], DutyClock> & { resolve?: DutyClock };
  /** an open decline, waiting for the supervisor's ruling */
  dispute?: Dispute;
  /** a suspension asked for or in force (clocks stopped while approved) */
  suspension?: Suspension;
  /** suspensions that ended, oldest first */
  suspensions?: Suspension[];
}

/** A department says the matter is not its own (推诿 made visible): it must say why. */
export interface Dispute {
  departmentId: string;
  reason: string;
  suggestedDepartmentId?: string;
  declinedAt: string;
  declinedBy: string;
  /** the supervisor's clock to rule */
  clock: DutyClock;
  ruling?: Ruling;
}

export interface Ruling {
  decision: 'uphold' | 'reject';
  at: string;
  by: string;
  note: string;
  /** upheld: the department that takes the duty over, on a fresh clock */
  reassignTo?: string;
  /** arbitration may correct the list itself: recorded for the list's keepers */
  listChange?: { matterCode: string; leadDepartmentId?: string; cooperatingDepartmentIds?: string[]; note: string };
}

export interface Suspension {
  reason: string;
  requestedAt: string;
  requestedBy: string;
  status: 'requested' | 'approved' | 'refused' | 'ended';
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
  resumedAt?: string;
  resumedBy?: string;
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
  /** absent on cases from before the reverse whistle: to_department */
  direction?: Direction;
  /** evidence fixed when the whistle was blown, and joined from merged duplicates */
  evidence?: Evidence[];
  /** the lead department's joint-enforcement plan (联合执法) */
  plan?: EnforcementPlan;
  /** duties a department was released from by an upheld decline: its lateness is not held against it */
  releasedDuties?: (Duty & { releasedAt: string; excused: true })[];
  /** every decline and its ruling, oldest first */
  disputes?: Dispute[];
  withdrawal?: { at: string; by: string; reason: string };
  /** this case was a duplicate and now lives on in `intoCaseId` */
  mergedInto?: { caseId: string; at: string; by: string };
  /** duplicates merged into this case */
  mergedFrom?: { caseId: string; at: string; raisedBy: Actor; evidence: Evidence[] }[];
  /** the re-inspection (复查) armed when a case of a matter that calls for it closes */
  reinspection?: Reinspection;
  /** earlier rounds of a reopened case, oldest first: history is never rewritten */
  previousRounds?: {
    resolution?: Resolution;
    evaluation?: Evaluation;
    verifications?: Verification[];
    reinspection?: Reinspection;
  }[];
}

export interface Reinspection {
  dueAt: string;
  /** when the township was told the re-inspection is due */
  dueNotifiedAt?: string;
  /** the township's answer is awaited until then; silence counts as no recurrence */
  answerBy: string;
  answeredAt?: string;
  answeredBy?: string;
  recurred?: boolean;
  note?: string;
  silent?: boolean;
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
  /** `invalid`: the request names something the case cannot hold (422) */
  kind: 'forbidden' | 'conflict' | 'invalid';
  reason: string;
}

export function openCase(
  caseId: string,
  raise: RaiseWhistle,
  raisedBy: Actor,
  raisedAt: Date,
  routing: Routing,
  caseNumber?: string,
): WhistleCase {
  const at = raisedAt.toISOString();
  const calendar = calendarByVersion(routing.calendarVersion);
  const departments = routing.kind === 'routed' ? routing.departments : [];
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
    // every clock runs from the whistle: report within 30 min and be on site within 2 h of it
    duties: departments.map(({ departmentId, role }) =>
      callDuty(departmentId, role, raisedAt, routing.profile, calendar, raise.module),
    ),
    ...(routing.kind === 'dispatch'
      ? { dispatch: { clock: startClock(classifyLimit(routing.profile), raisedAt, calendar) } }
      : {}),
    routing: {
      listVersion: routing.listVersion,
      calendarVersion: routing.calendarVersion,
      slaProfile: routing.profile.id,
      ...(routing.kind === 'routed' ? { matter: routing.matter } : { dispatchReason: routing.reason }),
    },
    ...(raise.direction === 'to_township' ? { direction: raise.direction } : {}),
    ...(raise.evidence?.length ? { evidence: raise.evidence } : {}),
  };
}

/**
 * The dispatch desk's limit. Whistles sent to the desk before it had a clock hold a profile without
 * `classify` (test/replay/histories/dispatching.binpb): theirs is the preset's, the limit the desk's
 * follower reads too (profileOf). Only such a case whose first workflow task had not yet run ever
 * follows it; the others' histories lack the patched('dispatch-desk') marker.
 */
function classifyLimit(profile: SlaProfile): Limit {
  const held = (profile as Partial<SlaProfile>).classify;
  return held ?? (SLA_PRESETS[profile.id as keyof typeof SLA_PRESETS] ?? SLA_PRESETS.normal).classify;
}

/** A party called on the case, its clocks running from `at`; the lead also answers for the result. */
export function callDuty(
  departmentId: string,
  role: DutyRole,
  at: Date,
  profile: SlaProfile,
  calendar: WorkingCalendar,
  module?: string,
): Duty {
  return {
    departmentId,
    role,
    ...(module ? { module } : {}),
    status: 'called',
    calledAt: at.toISOString(),
    clocks: {
      acknowledge: startClock(profile.acknowledge, at, calendar),
      onSite: startClock(profile.onSite, at, calendar),
      ...(role === 'lead' ? { resolve: startClock(profile.resolve, at, calendar) } : {}),
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
  return c.duties.flatMap((d) =>
    DUTY_CLOCKS.flatMap((clock) =>
      d.clocks[clock] ? milestones(d.clocks[clock], limitOf(profile, clock), profile, calendar) : [],
    ),
  );
}

/** The profile a case runs on (kept by id: the presets are versioned with the code). */
export function profileOf(c: WhistleCase): SlaProfile {
  return SLA_PRESETS[c.routing.slaProfile as keyof typeof SLA_PRESETS] ?? SLA_PRESETS.normal;
}

export function findDuty(c: WhistleCase, departmentId: string | undefined): Duty | undefined {
  return c.duties.find((d) => d.departmentId === departmentId);
}

/** The role of the parties a case calls: departments, or the township on a reverse whistle. */
export function calledRole(c: Pick<WhistleCase, 'direction'>): 'department' | 'township' {
  return c.direction === 'to_township' ? 'township' : 'department';
}

/** The org unit that blew the whistle: the township, or the department on a reverse whistle. */
export function isRaiser(c: Pick<WhistleCase, 'direction' | 'location' | 'raisedBy'>, actor: Actor): boolean {
  return c.direction === 'to_township'
    ? actor.role === 'department' && actor.orgUnitId === c.raisedBy.orgUnitId
    : actor.role === 'township' && actor.orgUnitId === c.location.townshipId;
}

/** The caller's own duty on the case, if it is a called party. */
export function dutyOf(c: WhistleCase, actor: Actor): Duty | undefined {
  return actor.role === calledRole(c) ? findDuty(c, actor.orgUnitId) : undefined;
}

/** Only a called party acts on its own duty, and not once the case has ended for good. */
export function refuseOutsider(c: WhistleCase, actor: Actor, action: string): Refusal | { duty: Duty } {
  if (actor.role !== calledRole(c))
    return { kind: 'forbidden', reason: `only a called ${calledRole(c)} may ${action} / 仅被吹哨单位可操作` };
  const duty = dutyOf(c, actor);
  if (!duty)
    return { kind: 'forbidden', reason: `${actor.orgUnitId ?? '?'} is not called on this case / 该单位未被吹哨` };
  if (FINAL_STATUSES.includes(c.status))
    return { kind: 'conflict', reason: `the case is ${c.status} / 案件已${c.status === 'merged' ? '合并' : '撤回'}` };
  return { duty };
}

/** A department reports for duty: only for its own duty, and only once. */
export function refuseAcknowledge(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report for duty');
  if (!('duty' in found)) return found;
  if (found.duty.status !== 'called') {
    return {
      kind: 'conflict',
      reason: `department ${found.duty.departmentId} already reported for duty at ${found.duty.acknowledgedAt} / 已报到`,
    };
  }
  return undefined;
}

/** Coming on site follows reporting for duty, once. */
export function refuseArrival(c: WhistleCase, actor: Actor): Refusal | undefined {
  const found = refuseOutsider(c, actor, 'report arrival on site');
  if (!('duty' in found)) return found;
  if (found.duty.status === 'called') return { kind: 'conflict', reason: `report for duty first / 请先报到` };
  if (found.duty.status === 'on_site')
    return {
      kind: 'conflict',
      reason: `department ${found.duty.departmentId} is on site since ${found.duty.arrivedAt} / 已到场`,
    };
  return undefined;
}

export function acknowledge(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return withStatus(
    updateDuty(c, actor.orgUnitId!, (d) => ({
      ...d,
      status: 'acknowledged',
      acknowledgedAt: at.toISOString(),
      acknowledgedBy: actor.accountId,
      clocks: meet(d, 'acknowledge', at),
    })),
  );
}

export function arrive(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  return updateDuty(c, actor.orgUnitId!, (d) => ({
    ...d,
    status: 'on_site',
    arrivedAt: at.toISOString(),
    arrivedBy: actor.accountId,
    clocks: meet(d, 'onSite', at),
  }));
}

/** Whether the step a clock asks for is done. */
export function clockMet(c: WhistleCase, departmentId: string, clock: ClockName): boolean {
  return findDuty(c, departmentId)?.clocks[clock]?.metAt !== undefined;
}

/** What a milestone does to the clock: a warning noted, the breach marked, a rung reached. */
export function passMilestone(c: WhistleCase, departmentId: string, clock: ClockName, m: Milestone): WhistleCase {
  return updateDuty(c, departmentId, (d) => ({
    ...d,
    clocks: { ...d.clocks, [clock]: advanceClock(d.clocks[clock]!, m) },
  }));
}

export function allReported(c: WhistleCase): boolean {
  return c.duties.length > 0 && c.duties.every((d) => d.status !== 'called');
}

export function meet(d: Duty, clock: ClockName, at: Date): Duty['clocks'] {
  const running = d.clocks[clock];
  return running ? { ...d.clocks, [clock]: { ...running, metAt: at.toISOString() } } : d.clocks;
}

export function updateDuty(c: WhistleCase, departmentId: string, change: (d: Duty) => Duty): WhistleCase {
  return { ...c, duties: c.duties.map((d) => (d.departmentId === departmentId ? change(d) : d)) };
}

function withStatus(c: WhistleCase): WhistleCase {
  return { ...c, status: allReported(c) ? 'in_progress' : 'reporting' };
}
