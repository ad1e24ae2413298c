/**
 * Routing a whistle by the responsibility list: matter → lead and co-operating departments, SLA
 * profile and calendar, all recorded with the list version so the case keeps what it was routed by.
 * No matter, or one the list does not hold → the dispatch desk. Departments asked for explicitly are
 * accepted only where the list names them for the matter.
 */
import type { Matter } from './responsibility-list/schemas';
import { profileFor, type DeskHours, type SlaProfile } from './sla';
import type { Refusal } from './case/refusal';
import type { DutyRole } from './case/enums';
import type { CaseCalendar, RoutedMatter } from './case/shape';

interface RoutingBase {
  listVersion: number;
  calendarVersion: string;
  /** the calendar version's data, when it is not the built-in one */
  calendar?: CaseCalendar;
  profile: SlaProfile;
}

export type Routing =
  | (RoutingBase & {
      kind: 'routed';
      /** absent on a reverse whistle that names no matter */ matter?: RoutedMatter;
      departments: { departmentId: string; role: DutyRole }[];
    })
  | (RoutingBase & {
      kind: 'dispatch';
      reason: string;
      requestedDepartmentIds: string[];
      /** the desk's hours when the whistle came in (absent: office hours) */
      deskHours?: DeskHours;
    });

export interface RouteRequest {
  matterCode?: string;
  urgency: 'urgent' | 'normal';
  departmentIds?: string[];
}

export interface ListInForce {
  listVersion: number;
  calendarVersion: string;
  /** the calendar version's data, when it is not the built-in one */
  calendar?: CaseCalendar;
  /** the matter version in force for the request's code, if the list holds one */
  matter?: Matter;
  /** the county's dispatch desk hours (absent: office hours) */
  deskHours?: DeskHours;
}

export function route(request: RouteRequest, list: ListInForce): Routing | Refusal {
  const base = { listVersion: list.listVersion, ...calendarChoice(list) };
  const matter = list.matter && !list.matter.retired ? list.matter : undefined;
  if (!matter) {
    const reason = request.matterCode
      ? `matter ${request.matterCode} is not on the responsibility list in force / 清单中无此事项`
      : 'no matter given: the dispatch desk classifies it / 未指定事项，转调度室分流';
    return {
      ...base,
      kind: 'dispatch',
      reason,
      requestedDepartmentIds: request.departmentIds ?? [],
      profile: profileFor(undefined, request.urgency),
      ...(list.deskHours ? { deskHours: list.deskHours } : {}),
    };
  }

  const allowed = new Set([matter.leadDepartmentId, ...matter.cooperatingDepartmentIds]);
  const outside = (request.departmentIds ?? []).filter((id) => !allowed.has(id));
  if (outside.length > 0) {
    return {
      kind: 'conflict',
      reason: `the list does not name ${outside.join(', ')} for matter ${matter.code} (lead ${matter.leadDepartmentId}${matter.cooperatingDepartmentIds.length ? `, co-operating ${matter.cooperatingDepartmentIds.join(', ')}` : ''}) / 清单之外无属地管理事项`,
    };
  }
  // the lead carries the final responsibility: it is always called
  const cooperating = request.departmentIds?.length
    ? matter.cooperatingDepartmentIds.filter((id) => request.departmentIds!.includes(id))
    : matter.cooperatingDepartmentIds;
  return {
    ...base,
    kind: 'routed',
    profile: profileFor(matter.slaProfile, request.urgency),
    matter: routedMatter(matter),
    departments: [
      { departmentId: matter.leadDepartmentId, role: 'lead' },
      ...cooperating.map((departmentId) => ({ departmentId, role: 'cooperating' as const })),
    ],
  };
}

function routedMatter(m: Matter): RoutedMatter {
  return {
    code: m.code,
    version: m.version,
    name: m.name,
    category: m.category,
    leadDepartmentId: m.leadDepartmentId,
    cooperatingDepartmentIds: [...m.cooperatingDepartmentIds],
    ...(m.reinspectionDays !== undefined ? { reinspectionDays: m.reinspectionDays } : {}),
  };
}

/**
 * A reverse whistle (部门吹哨、乡镇报到): the department names the township, which reports for duty
 * and leads the work; a matter, if named and on the list, is kept for the record and its profile.
 */
export function routeToTownship(request: RouteRequest & { townshipId: string }, list: ListInForce): Routing {
  const matter = list.matter && !list.matter.retired ? list.matter : undefined;
  return {
    listVersion: list.listVersion,
    ...calendarChoice(list),
    kind: 'routed',
    profile: profileFor(matter?.slaProfile, request.urgency),
    ...(matter ? { matter: routedMatter(matter) } : {}),
    departments: [{ departmentId: request.townshipId, role: 'lead' }],
  };
}

/** The calendar a routing carries on to the case: its version, and its data when loaded. */
export function calendarChoice(c: Pick<ListInForce, 'calendarVersion' | 'calendar'>): {
  calendarVersion: string;
  calendar?: CaseCalendar;
} {
  return { calendarVersion: c.calendarVersion, ...(c.calendar ? { calendar: c.calendar } : {}) };
}
