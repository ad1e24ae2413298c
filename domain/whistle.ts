/**
 * The whistle case as pure data and pure rules. Workflow code applies these functions to its
 * state; the API's Update validators call the same `refuse…` rules, so what the API accepts and what
 * the workflow does can never drift apart. No I/O, no clock: every instant is passed in.
 */
import { calendarByVersion } from './calendars';
import type { Actor } from './identity';
import type { DutyRole, RoutedMatter, Routing } from './routing';
import { deadline } from './sla';

export const URGENCIES = ['urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Grows with the lifecycle: `dispatching` = waiting for the dispatch desk, `reporting` =
 * departments are called, `in_progress` = all have reported for duty.
 */
export type CaseStatus = 'dispatching' | 'reporting' | 'in_progress';

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

/** One called department's obligation to report for duty (报到), with its own clock. */
export interface Duty {
  departmentId: string;
  role: DutyRole;
  status: 'called' | 'acknowledged';
  calledAt: string;
  acknowledgeBy: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** the deadline the department missed (set when its timer fires without an acknowledgement) */
  overdueSince?: string;
}

export interface WhistleCase {
  caseId: string;
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

export function openCase(caseId: string, raise: RaiseWhistle, raisedBy: Actor, raisedAt: Date, routing: Routing): WhistleCase {
  const at = raisedAt.toISOString();
  const acknowledgeBy = deadline(routing.profile.acknowledge, raisedAt, calendarByVersion(routing.calendarVersion)).toISOString();
  const departments = routing.kind === 'routed' ? routing.departments : [];
  return {
    caseId,
    title: raise.title,
    description: raise.description,
    urgency: raise.urgency,
    location: { ...raise.location },
    raisedBy,
    raisedAt: at,
    status: routing.kind === 'routed' ? 'reporting' : 'dispatching',
    duties: departments.map(({ departmentId, role }) => ({ departmentId, role, status: 'called', calledAt: at, acknowledgeBy })),
    routing: {
      listVersion: routing.listVersion,
      calendarVersion: routing.calendarVersion,
      slaProfile: routing.profile.id,
      ...(routing.kind === 'routed' ? { matter: routing.matter } : { dispatchReason: routing.reason }),
    },
  };
}

export function findDuty(c: WhistleCase, departmentId: string | undefined): Duty | undefined {
  return c.duties.find((d) => d.departmentId === departmentId);
}

/** A department reports for duty: only for its own duty, and only once. */
export function refuseAcknowledge(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'department') {
    return { kind: 'forbidden', reason: 'only a department reports for duty / 仅部门可报到' };
  }
  const duty = findDuty(c, actor.orgUnitId);
  if (!duty) {
    return { kind: 'forbidden', reason: `department ${actor.orgUnitId ?? '?'} is not called on this case / 该部门未被吹哨` };
  }
  if (duty.status === 'acknowledged') {
    return { kind: 'conflict', reason: `department ${duty.departmentId} already reported for duty at ${duty.acknowledgedAt} / 已报到` };
  }
  return undefined;
}

export function acknowledge(c: WhistleCase, actor: Actor, at: Date): WhistleCase {
  const duties = c.duties.map((d): Duty =>
    d.departmentId === actor.orgUnitId
      ? { ...d, status: 'acknowledged', acknowledgedAt: at.toISOString(), acknowledgedBy: actor.accountId }
      : d,
  );
  return withStatus({ ...c, duties });
}

/** The department missed its acknowledge limit: overdue since that deadline, not since the timer ran. */
export function markOverdue(c: WhistleCase, departmentId: string): WhistleCase {
  const duties = c.duties.map((d): Duty =>
    d.departmentId === departmentId && d.status === 'called' ? { ...d, overdueSince: d.acknowledgeBy } : d,
  );
  return { ...c, duties };
}

export function allReported(c: WhistleCase): boolean {
  return c.duties.length > 0 && c.duties.every((d) => d.status === 'acknowledged');
}

function withStatus(c: WhistleCase): WhistleCase {
  return { ...c, status: allReported(c) ? 'in_progress' : 'reporting' };
}
