/**
 * The case, declared once: its state and every part of it. The domain's types are inferred from
 * these declarations; the API's views and the OpenAPI document (api/whistles/views.ts) and the
 * projection's schema (store/case-projections.ts) are derived from them. Adding a field here
 * reaches all of them.
 */
import { ActorShape } from '../identity';
import { DESK_HOURS, ESCALATION_LEVELS, LIMIT_UNITS } from '../sla';
import { s, type Infer } from './declare';
import {
  CASE_STATUSES,
  CLOCK_STATES,
  DIRECTIONS,
  DUTY_ROLES,
  DUTY_STATUSES,
  EVIDENCE_KINDS,
  RULING_DECISIONS,
  STEP_KINDS,
  STEP_STATUSES,
  SUSPENSION_STATUSES,
  TOWNSHIP_TASKS,
  URGENCIES,
} from './enums';

const { string, instant, int, number, boolean, optional, array, object } = s;

/** Timers and other workflow-driven moves act as the system, never as a person. */
export const SystemActorShape = object({ accountId: s.literal('system'), role: s.literal('system') });

export const LimitShape = object({ amount: number(), unit: s.enum(LIMIT_UNITS) });

/** One SLA clock as pure data (see duty-clock.ts for how it speaks). */
export const ClockShape = object({
  startedAt: instant(),
  deadline: instant(),
  /** when the party did what the clock asks */
  metAt: optional(instant()),
  /** the deadline, once it passed unmet */
  overdueSince: optional(instant()),
  /** fractions already warned */
  warned: array(number()),
  /** the highest rung of the ladder reached */
  escalation: optional(s.enum(ESCALATION_LEVELS)),
  /** set while an approved suspension stops the clock */
  pausedAt: optional(instant()),
  /** time spent paused so far, on the wall clock (the deadline moved by it in the limit's own time) */
  pausedMs: optional(number()),
  /** `startedAt` moved on by the pauses: warnings are fractions of the running time only */
  countFrom: optional(instant()),
});

export const EvidenceShape = object({
  kind: s.enum(EVIDENCE_KINDS),
  uri: string(),
  /** the content hash, so a file cannot be swapped */
  sha256: string(),
  capturedAt: optional(instant()),
});

export const LocationShape = object({
  townshipId: string(),
  gridId: optional(string()),
  address: string(),
  coordinates: optional(object({ lat: number(), lng: number() })),
});

/** What a township (or, reversed, a department) submits when it blows the whistle. */
export const RaiseWhistleShape = object({
  /** the responsibility-list matter; absent or unknown → the dispatch desk */
  matterCode: optional(string()),
  title: string(),
  description: string(),
  urgency: s.enum(URGENCIES),
  location: LocationShape,
  /** departments asked for explicitly; accepted only where the list names them for the matter */
  departmentIds: optional(array(string())),
  /** evidence fixed at the scene (固定证据) */
  evidence: optional(array(EvidenceShape)),
  /** absent = to_department; `to_township`: a department calls the township's module */
  direction: optional(s.enum(DIRECTIONS)),
  /**
   * the township module called by a reverse whistle raised before the township only assisted
   * (test/replay/histories/reverse-whistle.binpb): those cases keep the township as their lead
   */
  module: optional(string()),
  /** set by the API (never sent by a client) when a township turns a grid report into this whistle */
  gridReportId: optional(string()),

  /** a reverse whistle: the township module asked to assist (e.g. `safety`); the department leads */
  assistModule: optional(string()),
  /** a reverse whistle: what the township is asked to do, each within its role on the matter's list entry */
  assistTasks: optional(array(s.enum(TOWNSHIP_TASKS))),
});

export const ListChangeShape = object({
  matterCode: string(),
  leadDepartmentId: optional(string()),
  cooperatingDepartmentIds: optional(array(string())),
  /** the township's role as keys (a ruling on a township's decline of a reverse whistle may narrow or widen it) */
  townshipTasks: optional(array(s.enum(TOWNSHIP_TASKS))),
  note: string(),
});

export const RulingShape = object({
  decision: s.enum(RULING_DECISIONS),
  at: instant(),
  by: string(),
  note: string(),
  /** upheld: the department that takes the duty over, on a fresh clock */
  reassignTo: optional(string()),
  /** arbitration may correct the list itself: recorded for the list's keepers */
  listChange: optional(ListChangeShape),
});

/** A department says the matter is not its own (推诿 made visible): it must say why. */
export const DisputeShape = object({
  departmentId: string(),
  reason: string(),
  suggestedDepartmentId: optional(string()),
  declinedAt: instant(),
  declinedBy: string(),
  /** the supervisor's clock to rule */
  clock: ClockShape,
  ruling: optional(RulingShape),
});

export const SuspensionShape = object({
  reason: string(),
  requestedAt: instant(),
  requestedBy: string(),
  status: s.enum(SUSPENSION_STATUSES),
  decidedAt: optional(instant()),
  decidedBy: optional(string()),
  note: optional(string()),
  resumedAt: optional(instant()),
  resumedBy: optional(string()),
});

const dutyFields = {
  /** the called org unit: a county department, or the township on a reverse whistle */
  departmentId: string(),
  role: s.enum(DUTY_ROLES),
  /** the township module called by a reverse whistle */
  module: optional(string()),
  status: s.enum(DUTY_STATUSES),
  calledAt: instant(),
  acknowledgedAt: optional(instant()),
  acknowledgedBy: optional(string()),
  arrivedAt: optional(instant()),
  arrivedBy: optional(string()),
  /** report for duty and be on site; the lead also has `resolve` (report the result) */
  clocks: object({ acknowledge: ClockShape, onSite: ClockShape, resolve: optional(ClockShape) }),
  /** an open decline, waiting for the supervisor's ruling */
  dispute: optional(DisputeShape),
  /** a suspension asked for or in force (clocks stopped while approved) */
  suspension: optional(SuspensionShape),
  /** suspensions that ended, oldest first */
  suspensions: optional(array(SuspensionShape)),
  /** reminders (催办) the unit that blew the whistle pressed, oldest first */
  reminders: optional(array(object({ at: instant(), by: string(), note: optional(string()) }))),
} as const;

/**
 * One called party's obligation: report for duty (报到), then come on site, each step on its own
 * clock. One late department never moves another's clocks.
 */
export const DutyShape = object(dutyFields);

/** A duty a department was released from by an upheld decline: its lateness is not held against it. */
export const ReleasedDutyShape = object({ ...dutyFields, releasedAt: instant(), excused: s.literal(true) });

/** A called department, or a module (综合执法、司法所 …) of the township that blew the whistle. */
export const AssigneeShape = s.union(
  object({ kind: s.literal('department'), departmentId: string() }),
  object({ kind: s.literal('township'), townshipId: string(), module: string() }),
);

const plannedStepFields = {
  key: string(),
  title: string(),
  kind: s.enum(STEP_KINDS),
  assignee: AssigneeShape,
  limit: LimitShape,
  dependsOn: array(string()),
} as const;

/** One step as the lead department sends it. */
export const PlannedStepShape = object(plannedStepFields);

export const EnforcementStepShape = object({
  ...plannedStepFields,
  status: s.enum(STEP_STATUSES),
  /** started when the step opens; met when it is done */
  clock: optional(ClockShape),
  completedAt: optional(instant()),
  /** account id of whoever completed it */
  completedBy: optional(string()),
  note: optional(string()),
  evidence: array(EvidenceShape),
});

/** The lead department's joint-enforcement plan (联合执法). */
export const EnforcementPlanShape = object({
  /** 1 for the first plan, +1 for each revision */
  revision: int(),
  /** when and by whom the current revision was made */
  plannedAt: instant(),
  plannedBy: string(),
  /** why the plan was revised (and why it was made, if said), oldest first */
  reasons: array(object({ at: instant(), by: string(), reason: string() })),
  steps: array(EnforcementStepShape),
});

export const ProgressNoteShape = object({
  at: instant(),
  by: ActorShape,
  note: string(),
  evidence: array(EvidenceShape),
});

export const ResolutionShape = object({
  resolvedAt: instant(),
  resolvedBy: ActorShape,
  summary: string(),
  evidence: array(EvidenceShape),
  /** the township's verification limit */
  verifyBy: instant(),
});

export const VerificationShape = object({
  at: instant(),
  /** the township's account, or the system when the township stayed silent past its limit */
  by: s.union(ActorShape, SystemActorShape),
  accepted: boolean(),
  reason: optional(string()),
  /** silence past the limit counted as acceptance */
  silent: boolean(),
});

const score = number();

export const DepartmentRatingShape = object({
  departmentId: string(),
  /** 1–5 each */
  speed: score,
  attitude: score,
  result: score,
  comment: optional(string()),
});

export const EvaluationShape = object({
  /** until when the parties may rate; then the case closes with the ratings it has */
  evaluateBy: instant(),
  byTownship: optional(object({ at: instant(), by: string(), ratings: array(DepartmentRatingShape) })),
  byDepartments: array(
    object({ departmentId: string(), at: instant(), by: string(), cooperation: score, comment: optional(string()) }),
  ),
  closedAt: optional(instant()),
  /** closed by the window running out rather than by every party rating */
  closedBySilence: optional(boolean()),
});

export const ReinspectionShape = object({
  dueAt: instant(),
  /** when the township was told the re-inspection is due */
  dueNotifiedAt: optional(instant()),
  /** the township's answer is awaited until then; silence counts as no recurrence */
  answerBy: instant(),
  answeredAt: optional(instant()),
  answeredBy: optional(string()),
  recurred: optional(boolean()),
  note: optional(string()),
  silent: optional(boolean()),
});

/**
 * A reverse whistle as the reform means it (部门吹哨、乡镇报到): the raising department leads and
 * answers for the result; the township's module assists, within its role on the list.
 */
export const AssistShape = object({
  townshipId: string(),
  /** the township module asked to assist */
  module: string(),
  /** what it was asked to do (keys of the matter's `townshipTasks`) */
  tasks: array(s.enum(TOWNSHIP_TASKS)),
  /** the township's role on the matter as the list stated it when the whistle was blown */
  townshipRole: object({ zh: string(), en: string() }),
});

/** The part of a matter version a case keeps for its whole life. */
export const RoutedMatterShape = object({
  code: string(),
  version: int(),
  name: object({ zh: string(), en: string() }),
  category: string(),
  leadDepartmentId: string(),
  cooperatingDepartmentIds: array(string()),
  reinspectionDays: optional(int()),
});

/**
 * A loaded working-calendar version as a case keeps it: per year, holiday periods ("from/to", or
 * one date) and the weekend days worked (调休上班). Absent on the built-in version.
 */
export const CaseCalendarShape = object({
  years: array(object({ year: int(), holidays: array(string()), adjustedWorkdays: array(string()) })),
});

/** What the case was routed by, kept for its whole life. */
export const CaseRoutingShape = object({
  listVersion: int(),
  calendarVersion: string(),
  /** the calendar version's data when it was loaded by an administrator (absent: built in, by id) */
  calendar: optional(CaseCalendarShape),
  slaProfile: string(),
  matter: optional(RoutedMatterShape),
  /** why the case went to the dispatch desk */
  dispatchReason: optional(string()),
  /** the desk's hours when it came in: `24h` counts the desk's limit on the wall clock (absent: office) */
  deskHours: optional(s.enum(DESK_HOURS)),
});

export const MergedDuplicateShape = object({
  caseId: string(),
  at: instant(),
  raisedBy: ActorShape,
  evidence: array(EvidenceShape),
});

export const WhistleCaseShape = object({
  caseId: string(),
  /** county-year-sequence, for people (absent on cases raised before numbering) */
  caseNumber: optional(string()),
  title: string(),
  description: string(),
  urgency: s.enum(URGENCIES),
  location: LocationShape,
  raisedBy: ActorShape,
  /** the township module whose account blew the whistle (模块); absent for a township-wide account */
  raisedByModule: optional(string()),
  /** the grid report (网格上报) this whistle was made from; the report keeps this case's id */
  gridReportId: optional(string()),
  raisedAt: instant(),
  status: s.enum(CASE_STATUSES),
  duties: array(DutyShape),
  routing: CaseRoutingShape,
  /** notes and evidence from any party, at any time (办理中跟踪) */
  progress: optional(array(ProgressNoteShape)),
  /** the lead department's report of the result, while the township verifies it */
  resolution: optional(ResolutionShape),
  /** the township's verdicts on reported results, newest last */
  verifications: optional(array(VerificationShape)),
  /** both ways (双向考核评议): the township rates each department, each department the township */
  evaluation: optional(EvaluationShape),
  /** the dispatch desk's clock, while (and after) an unclear whistle waits to be classified */
  dispatch: optional(object({ clock: ClockShape, classifiedBy: optional(string()) })),
  /** absent on cases from before the reverse whistle: to_department */
  direction: optional(s.enum(DIRECTIONS)),
  /** a reverse whistle the township assists on (absent on those raised before: the township led them) */
  assist: optional(AssistShape),
  /** evidence fixed when the whistle was blown, and joined from merged duplicates */
  evidence: optional(array(EvidenceShape)),
  plan: optional(EnforcementPlanShape),
  releasedDuties: optional(array(ReleasedDutyShape)),
  /** every decline and its ruling, oldest first */
  disputes: optional(array(DisputeShape)),
  withdrawal: optional(object({ at: instant(), by: string(), reason: string() })),
  /** the dispatch desk returned the whistle: not the county's business (非县级部门职责) */
  returned: optional(object({ at: instant(), by: string(), reason: string() })),
  /** earlier routings the desk corrected before anyone acted, oldest first */
  reroutes: optional(array(object({ at: instant(), by: string(), reason: string(), from: CaseRoutingShape }))),
  /** this case was a duplicate and now lives on in `mergedInto.caseId` */
  mergedInto: optional(object({ caseId: string(), at: instant(), by: string() })),
  /** duplicates merged into this case */
  mergedFrom: optional(array(MergedDuplicateShape)),
  /** the re-inspection (复查) armed when a case of a matter that calls for it closes */
  reinspection: optional(ReinspectionShape),
  /** earlier rounds of a reopened case, oldest first: history is never rewritten */
  previousRounds: optional(
    array(
      object({
        resolution: optional(ResolutionShape),
        evaluation: optional(EvaluationShape),
        verifications: optional(array(VerificationShape)),
        reinspection: optional(ReinspectionShape),
      }),
    ),
  ),
});

/** A clock as a reader sees it at a moment: how long is left, or how late it is, and time paused. */
export const ClockReadingShape = object({
  clock: string(),
  deadline: instant(),
  state: s.enum(CLOCK_STATES),
  remainingMs: optional(number()),
  lateByMs: optional(number()),
  pausedMs: number(),
});

export type ClockReading = Infer<typeof ClockReadingShape>;
export type SystemActor = Infer<typeof SystemActorShape>;
export type DutyClock = Infer<typeof ClockShape>;
export type Evidence = Infer<typeof EvidenceShape>;
export type Location = Infer<typeof LocationShape>;
export type RaiseWhistle = Infer<typeof RaiseWhistleShape>;
export type Ruling = Infer<typeof RulingShape>;
export type Dispute = Infer<typeof DisputeShape>;
export type Suspension = Infer<typeof SuspensionShape>;
export type Duty = Infer<typeof DutyShape>;
export type ReleasedDuty = Infer<typeof ReleasedDutyShape>;
export type Assignee = Infer<typeof AssigneeShape>;
export type PlannedStep = Infer<typeof PlannedStepShape>;
export type EnforcementStep = Infer<typeof EnforcementStepShape>;
export type EnforcementPlan = Infer<typeof EnforcementPlanShape>;
export type ProgressNote = Infer<typeof ProgressNoteShape>;
export type Resolution = Infer<typeof ResolutionShape>;
export type Verification = Infer<typeof VerificationShape>;
export type DepartmentRating = Infer<typeof DepartmentRatingShape>;
export type Evaluation = Infer<typeof EvaluationShape>;
export type Reinspection = Infer<typeof ReinspectionShape>;
export type RoutedMatter = Infer<typeof RoutedMatterShape>;
export type Assist = Infer<typeof AssistShape>;
export type CaseRouting = Infer<typeof CaseRoutingShape>;
export type CaseCalendar = Infer<typeof CaseCalendarShape>;
export type MergedDuplicate = Infer<typeof MergedDuplicateShape>;
export type WhistleCase = Infer<typeof WhistleCaseShape>;
