/**
 * Opening a case and finding its parties: pure rules over the declared case (case/shape.ts). The
 * workflow applies them to its state; the API's Update validators call the same `refuse…` rules, so
 * what the API accepts and what the workflow does can never drift apart. No I/O, no clock: every
 * instant is passed in.
 */
import { calendarOf } from './calendars';
import type { WorkingCalendar } from './calendar';
import { FINAL_STATUS_ZH, isFinal } from './case/enums';
import type { Refusal } from './case/refusal';
import type { DutyRole } from './case/enums';
import type { Assist, Duty, RaiseWhistle, WhistleCase } from './case/shape';
import {
  advanceClock,
  DUTY_CLOCKS,
  limitOf,
  milestones,
  startClock,
  type ClockName,
  type Milestone,
} from './duty-clock';
import type { Actor } from './identity';
import { calendarChoice, type Routing } from './routing';
import { deskLimit, SLA_PRESETS, type Limit, type SlaProfile } from './sla';

/**
 * The change that made the township a reverse whistle's assistant rather than its lead: the
 * workflow answers it with `patched`, so reverse whistles raised before keep their township lead.
 */
export const REVERSE_ASSIST = 'reverse-assist';

export function openCase(
  caseId: string,
  raise: RaiseWhistle,
  raisedBy: Actor,
  raisedAt: Date,
  routing: Routing,
  caseNumber?: string,
  /** whether the case runs a change of the rules (the workflow's `patched`; the API opens new cases) */
  since: (change: string) => boolean = () => true,
): WhistleCase {
  const at = raisedAt.toISOString();
  const calendar = calendarOf(routing);
  const assist = routing.kind === 'routed' && routing.assist && since(REVERSE_ASSIST) ? routing.assist : undefined;
  if (assist)
    return assistedCase(
      openCase(caseId, raise, raisedBy, raisedAt, routing, caseNumber, () => false),
      assist,
    );
  const departments = routing.kind === 'routed' ? routing.departments : [];
  return {
    caseId,
    ...(caseNumber ? { caseNumber } : {}),
    title: raise.title,
    description: raise.description,
    urgency: raise.urgency,
    location: { ...raise.location },
    raisedBy,
    // absent when the account has no module: a case started before modules existed opens as it did
    ...(raisedBy.role === 'township' && raisedBy.module ? { raisedByModule: raisedBy.module } : {}),
    ...(raise.gridReportId ? { gridReportId: raise.gridReportId } : {}),
    raisedAt: at,
    status: routing.kind === 'routed' ? 'reporting' : 'dispatching',
    // every clock runs from the whistle: report within 30 min and be on site within 2 h of it
    duties: departments.map(({ departmentId, role }) =>
      callDuty(departmentId, role, raisedAt, routing.profile, calendar, raise.module),
    ),
    ...(routing.kind === 'dispatch'
      ? {
          dispatch: {
            clock: startClock(deskLimit(classifyLimit(routing.profile), routing.deskHours), raisedAt, calendar),
          },
        }
      : {}),
    routing: {
      listVersion: routing.listVersion,
      ...calendarChoice(routing),
      slaProfile: routing.profile.id,
      ...(routing.kind === 'routed'
        ? { matter: routing.matter }
        : { dispatchReason: routing.reason, ...(routing.deskHours ? { deskHours: routing.deskHours } : {}) }),
    },
    ...(raise.direction === 'to_township' ? { direction: raise.direction } : {}),
    ...(raise.evidence?.length ? { evidence: raise.evidence } : {}),
  };
}

/**
 * 部门吹哨、乡镇报到: the raising department leads — it called, so it has reported for duty the
 * moment it blew the whistle; it still comes on site and answers for the result on its resolve
 * clock — while the township's module reports for duty and comes on site on its own clocks.
 */
function assistedCase(c: WhistleCase, assist: Assist): WhistleCase {
  const duties = c.duties.map((d): Duty =>
    d.departmentId === assist.townshipId
      ? { ...d, module: assist.module }
      : {
          ...d,
          status: 'acknowledged',
          acknowledgedAt: c.raisedAt,
          acknowledgedBy: c.raisedBy.accountId,
          clocks: meet(d, 'acknowledge', new Date(c.raisedAt)),
        },
  );
  return { ...c, duties, assist };
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
  const calendar = calendarOf(c.routing);
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

/** Who holds a duty: the case's township (on a reverse whistle), or a county department. */
export function partyRole(c: Pick<WhistleCase, 'direction' | 'location'>, d: Duty): 'department' | 'township' {
  return c.direction === 'to_township' && d.departmentId === c.location.townshipId ? 'township' : 'department';
}

/** The org unit that blew the whistle: the township, or the department on a reverse whistle. */
export function isRaiser(c: Pick<WhistleCase, 'direction' | 'location' | 'raisedBy'>, actor: Actor): boolean {
  return c.direction === 'to_township'
    ? actor.role === 'department' && actor.orgUnitId === c.raisedBy.orgUnitId
    : actor.role === 'township' && actor.orgUnitId === c.location.townshipId;
}

/**
 * Who verifies the result (验收). DOMAIN.md: "the lead department reports the result; the township
 * verifies on site and accepts or sends it back". On a township's whistle the party that called is
 * also the one that did not report the result and the one on whose ground the problem lies. On a
 * reverse whistle these part: the department called *and* leads, so it reports the result; if it
 * verified too it would accept its own report, and the check "办理后评价" exists for would be gone.
 * What verification is for — a party that does not answer for the result saying, on site, whether
 * the problem is gone — points to the township: the problem is on its ground (属地), it saw the work
 * while it assisted, and the 兜底 responsibility stays with the department. So the township
 * verifies (and its silence past the limit counts as acceptance, so it cannot hold the department's
 * case open). Reverse whistles raised before the township only assisted keep their rule: the
 * department verified the township's result.
 */
export function isVerifier(
  c: Pick<WhistleCase, 'direction' | 'location' | 'raisedBy' | 'assist'>,
  actor: Actor,
): boolean {
  return c.assist ? actor.role === 'township' && actor.orgUnitId === c.assist.townshipId : isRaiser(c, actor);
}

/** The caller's own duty on the case, if it is a called party (a reverse whistle's lead department included). */
export function dutyOf(c: WhistleCase, actor: Actor): Duty | undefined {
  const duty = findDuty(c, actor.orgUnitId);
  return duty && partyRole(c, duty) === actor.role ? duty : undefined;
}

/** Only a called party acts on its own duty, and not once the case has ended for good. */
export function refuseOutsider(c: WhistleCase, actor: Actor, action: string): Refusal | { duty: Duty } {
  if (!c.duties.some((d) => partyRole(c, d) === actor.role) && actor.role !== calledRole(c))
    return { kind: 'forbidden', reason: `only a called ${calledRole(c)} may ${action} / 仅被吹哨单位可操作` };
  const duty = dutyOf(c, actor);
  if (!duty)
    return { kind: 'forbidden', reason: `${actor.orgUnitId ?? '?'} is not called on this case / 该单位未被吹哨` };
  if (isFinal(c)) return { kind: 'conflict', reason: `the case is ${c.status} / 案件已${FINAL_STATUS_ZH[c.status]}` };
  return { duty };
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

export function meet(d: Duty, clock: ClockName, at: Date): Duty['clocks'] {
  const running = d.clocks[clock];
  return running ? { ...d.clocks, [clock]: { ...running, metAt: at.toISOString() } } : d.clocks;
}

export function updateDuty(c: WhistleCase, departmentId: string, change: (d: Duty) => Duty): WhistleCase {
  return { ...c, duties: c.duties.map((d) => (d.departmentId === departmentId ? change(d) : d)) };
}
