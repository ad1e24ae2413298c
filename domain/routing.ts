/**
 * Routing a whistle by the responsibility list: matter → lead and co-operating departments, SLA
 * profile and calendar, all recorded with the list version so the case keeps what it was routed by.
 * No matter, or one the list does not hold → the dispatch desk. Departments asked for explicitly are
 * accepted only where the list names them for the matter. A reverse whistle is routed by its own
 * rule (routeReverse): only onto the list.
 */
import type { Matter } from './responsibility-list/schemas';
import { profileFor, type DeskHours, type SlaProfile } from './sla';
import type { Refusal } from './case/refusal';
import type { DutyRole } from './case/enums';
import type { Assist, CaseCalendar, RoutedMatter } from './case/shape';
import type { TownshipTask } from './case/enums';

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
      /** a reverse whistle: the township assists the first department (its lead), within its role */
      assist?: Assist;
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

/** What a department sends when it whistles for a township's help (部门吹哨、乡镇报到). */
export interface ReverseRequest {
  matterCode?: string;
  urgency: 'urgent' | 'normal';
  townshipId: string;
  /** the department blowing the whistle: it leads */
  departmentId: string;
  assistModule: string;
  assistTasks: readonly TownshipTask[];
}

/** A refusal of the request itself (422), naming the field at fault. */
export type RequestRefusal = Refusal & { field: string };

/**
 * A reverse whistle as the reform means it: the department keeps the lead and its final (兜底)
 * responsibility, the township assists — and only on a matter the list holds, which names the
 * department, and whose township role covers every task asked ("清单之外无属地管理事项").
 */
export function routeReverse(request: ReverseRequest, list: ListInForce): Routing | RequestRefusal {
  const refused = (field: string, reason: string): RequestRefusal => ({ kind: 'invalid', field, reason });
  if (!request.matterCode)
    return refused(
      'matterCode',
      'a reverse whistle names the matter on the responsibility list the township is to assist on / 部门吹哨须指定清单事项（清单之外无属地管理事项）',
    );
  const matter = list.matter && !list.matter.retired ? list.matter : undefined;
  if (!matter)
    return refused(
      'matterCode',
      `matter ${request.matterCode} is not on the responsibility list in force: nothing outside the list is pushed onto a township / 清单中无此事项，清单之外无属地管理事项`,
    );
  const named = [matter.leadDepartmentId, ...matter.cooperatingDepartmentIds];
  if (!named.includes(request.departmentId))
    return refused(
      'matterCode',
      `the list does not name ${request.departmentId} for matter ${matter.code} (${named.join(', ')}): a department whistles for a township on its own matters only / 清单未列明本部门承担该事项`,
    );
  const role = matter.townshipTasks ?? [];
  const outside = request.assistTasks.filter((t) => !role.includes(t));
  if (outside.length > 0)
    return refused(
      'assistTasks',
      `the township's role on matter ${matter.code} (${matter.townshipRole.zh} / ${matter.townshipRole.en}) does not cover ${outside.join(', ')}; it covers ${role.join(', ') || 'nothing a department may ask for'} / 超出清单所列乡镇职责`,
    );
  return {
    listVersion: list.listVersion,
    ...calendarChoice(list),
    kind: 'routed',
    profile: profileFor(matter.slaProfile, request.urgency),
    matter: routedMatter(matter),
    departments: [
      { departmentId: request.departmentId, role: 'lead' },
      { departmentId: request.townshipId, role: 'cooperating' },
    ],
    assist: {
      townshipId: request.townshipId,
      module: request.assistModule,
      tasks: [...request.assistTasks],
      townshipRole: { zh: matter.townshipRole.zh, en: matter.townshipRole.en },
    },
  };
}

/** The calendar a routing carries on to the case: its version, and its data when loaded. */
export function calendarChoice(c: Pick<ListInForce, 'calendarVersion' | 'calendar'>): {
  calendarVersion: string;
  calendar?: CaseCalendar;
} {
  return { calendarVersion: c.calendarVersion, ...(c.calendar ? { calendar: c.calendar } : {}) };
}
