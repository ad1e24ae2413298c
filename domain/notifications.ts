/**
 * Who must hear of each case event (issue #4 item 17). Pure and zod-free: the outbox computes the
 * receivers of a recorded batch with it, and workflow code may import it too.
 *
 * Table-driven: an exact rule per event type, else a default per family (`case.*`, `duty.*`,
 * `dispute.*`, `plan.*`, `step.*`, `reinspection.*` → every party on the case; their clock events
 * `*.warned|overdue|escalated` → the party the clock runs for), else nobody. On top of any rule, an
 * event that carries an escalation list (`data.notify`) reaches everyone on that list.
 */
import type { CaseEvent } from './case-event';
import type { WhistleCase } from './case/shape';

/** County offices: no org unit of their own; their webhook comes from the environment. */
export const COUNTY_OFFICES = {
  supervision_office: 'supervision-office',
  county_leadership: 'county-leadership',
  dispatch_desk: 'dispatch-desk',
} as const;
export type CountyOfficeId = (typeof COUNTY_OFFICES)[keyof typeof COUNTY_OFFICES];

const OFFICE_IDS: ReadonlySet<string> = new Set(Object.values(COUNTY_OFFICES));

export type ReceiverKind = 'township' | 'department' | 'county_office';

/** Someone a notification goes to: an org unit (township or department) or a county office. */
export interface Receiver {
  /** a township id, a department id, or a county office id (`supervision-office` …) */
  id: string;
  kind: ReceiverKind;
  /** set when the department's head is to hear of it (an escalation), not only the desk officer */
  level?: 'department_head';
}

type Rule = (event: CaseEvent, c: WhistleCase) => Receiver[];

const township = (id: string | undefined): Receiver[] => (id ? [{ id, kind: 'township' }] : []);
/**
 * A called party or a county office where the id is one (the dispatch desk's clock names itself);
 * on a reverse whistle the called party is the case's township.
 */
const unit = (id: string | undefined, c?: WhistleCase): Receiver[] =>
  id
    ? [
        {
          id,
          kind: OFFICE_IDS.has(id) ? 'county_office' : c && id === c.location.townshipId ? 'township' : 'department',
        },
      ]
    : [];
const supervision = (): Receiver[] => unit(COUNTY_OFFICES.supervision_office);

/** The township that raised the case: the raiser's own unit if a township account raised it, else where it is. */
export function raiserOf(c: WhistleCase): string {
  return c.raisedBy.role === 'township' && c.raisedBy.orgUnitId ? c.raisedBy.orgUnitId : c.location.townshipId;
}

function leadOf(c: WhistleCase): string | undefined {
  return (
    c.duties.find((d) => d.role === 'lead')?.departmentId ??
    c.routing.matter?.leadDepartmentId ??
    c.duties[0]?.departmentId
  );
}

/** departmentIds named by the event itself (`data.duties` / `data.departments`), else the case's duties. */
function calledDepartments(event: CaseEvent, c: WhistleCase): string[] {
  const named = [event.data.duties, event.data.departments].find(Array.isArray) as
    { departmentId?: unknown }[] | undefined;
  const ids = named ? named.map((d) => d?.departmentId) : c.duties.map((d) => d.departmentId);
  return ids.filter((id): id is string => typeof id === 'string');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * The party an event is about (a rule of its own for clock events): `data.departmentId`, else a step's `data.assignee` (a department or
 * a township), else the lead department.
 */
function concerned(event: CaseEvent, c: WhistleCase): Receiver[] {
  const departmentId = text(event.data.departmentId);
  if (departmentId) return unit(departmentId, c);
  const assignee = event.data.assignee as { kind?: unknown; departmentId?: unknown; townshipId?: unknown } | undefined;
  if (assignee?.kind === 'department' && text(assignee.departmentId)) return unit(text(assignee.departmentId), c);
  if (assignee?.kind === 'township' && text(assignee.townshipId)) return township(text(assignee.townshipId));
  return unit(leadOf(c), c);
}

/** Whoever blew the whistle: the township, or the department of a reverse whistle. */
const raiser: Rule = (_e, c) => (c.raisedBy.role === 'department' ? unit(c.raisedBy.orgUnitId) : township(raiserOf(c)));
/** Whoever verifies the result: the raiser, or the township assisting a reverse whistle (whistle.ts, isVerifier). */
const verifier: Rule = (e, c) => (c.assist ? township(c.assist.townshipId) : raiser(e, c));
/** The raiser, the parties called, and the township of a reverse whistle even once released from it. */
const allParties: Rule = (e, c) => [
  ...raiser(e, c),
  ...c.duties.flatMap((d) => unit(d.departmentId, c)),
  ...(c.assist ? township(c.assist.townshipId) : []),
];
/** What the supervision office must rule on or approve, with every party told. */
const forSupervision: Rule = (e, c) => [...supervision(), ...allParties(e, c)];

const RULES: Record<string, Rule> = {
  // called departments hear of the whistle; an unrouted one goes to the dispatch desk
  'whistle.raised': (e, c) => {
    const called = calledDepartments(e, c);
    return called.length ? called.flatMap((id) => unit(id, c)) : unit(COUNTY_OFFICES.dispatch_desk);
  },
  'case.classified': (e, c) => calledDepartments(e, c).flatMap((id) => unit(id, c)),
  // re-routed: the township, the departments called now, and those released stand down
  'case.rerouted': (e, c) => {
    const released = Array.isArray(e.data.releasedDepartmentIds) ? (e.data.releasedDepartmentIds as string[]) : [];
    return [
      ...raiser(e, c),
      ...calledDepartments(e, c).flatMap((id) => unit(id, c)),
      ...released.flatMap((id) => unit(id, c)),
    ];
  },
  // the township follows its departments reporting for duty and coming on site
  'duty.acknowledged': raiser,
  'duty.arrived': raiser,
  // 催办: the department pressed hears of it
  'duty.reminded': concerned,
  // a clock speaks to the department it runs for (the dispatch desk for the desk's clock)
  'duty.warned': concerned,
  'duty.overdue': concerned,
  'duty.escalated': concerned,
  'dispatch.warned': () => unit(COUNTY_OFFICES.dispatch_desk),
  'dispatch.overdue': () => unit(COUNTY_OFFICES.dispatch_desk),
  'dispatch.escalated': () => unit(COUNTY_OFFICES.dispatch_desk),
  'case.escalated': concerned,
  'case.progress': allParties,
  'case.resolved': verifier,
  // accepted: every department may stand down; sent back: the lead must act again
  'case.verified': (e, c) =>
    e.data.accepted === false ? unit(leadOf(c), c) : c.duties.flatMap((d) => unit(d.departmentId, c)),
  // the rated hear of their ratings: the township rates departments, departments rate the township
  'case.evaluated': (e, c) => {
    const ratings = Array.isArray(e.data.ratings) ? (e.data.ratings as { departmentId?: unknown }[]) : undefined;
    return ratings ? ratings.flatMap((r) => unit(text(r?.departmentId), c)) : township(raiserOf(c));
  },
  'case.closed': allParties,
  'case.withdrawn': allParties,
  'case.merged': raiser,
  // the supervision office rules on declines and approves suspensions: it hears of them first
  'duty.declined': forSupervision,
  'duty.suspension-requested': forSupervision,
  // the arbitration clock is the supervisor's own
  'dispute.warned': supervision,
  'dispute.overdue': supervision,
  'dispute.escalated': supervision,
};

/** Event families whose unlisted types (new ones are being added) reach every party on the case. */
const FAMILY_DEFAULTS: Record<string, Rule> = {
  case: allParties,
  duty: allParties,
  dispute: allParties,
  plan: allParties,
  step: allParties,
  reinspection: allParties,
};

/** A clock speaking in any family (`step.overdue`, `dispute.warned` …) speaks to the party it runs for. */
const CLOCK_SUFFIXES: ReadonlySet<string> = new Set(['warned', 'overdue', 'escalated']);

function ruleOf(type: string): Rule | undefined {
  const [family = '', suffix = ''] = type.split('.');
  if (RULES[type]) return RULES[type];
  if (!FAMILY_DEFAULTS[family]) return undefined;
  return CLOCK_SUFFIXES.has(suffix) ? concerned : FAMILY_DEFAULTS[family];
}

/** The escalation ladder's recipients (`data.notify`, see domain/sla.ts RECIPIENTS) as receivers. */
function escalationReceivers(event: CaseEvent, c: WhistleCase): Receiver[] {
  const notify = Array.isArray(event.data.notify) ? event.data.notify : [];
  return notify.flatMap((who): Receiver[] => {
    switch (who) {
      // the arbitration ladder climbs within the supervision office
      case 'department':
        return event.type.startsWith('dispute.') ? supervision() : concerned(event, c);
      case 'department_head':
        return event.type.startsWith('dispute.')
          ? supervision()
          : concerned(event, c).map((r) => (r.kind === 'department' ? { ...r, level: 'department_head' as const } : r));
      case 'supervision_office':
        return unit(COUNTY_OFFICES.supervision_office);
      case 'county_leadership':
        return unit(COUNTY_OFFICES.county_leadership);
      default:
        return [];
    }
  });
}

/** One receiver per id, in first-named order; the department head's level wins over the plain desk. */
function distinct(receivers: Receiver[]): Receiver[] {
  const byId = new Map<string, Receiver>();
  for (const r of receivers) {
    const seen = byId.get(r.id);
    if (!seen) byId.set(r.id, r);
    else if (r.level && !seen.level) byId.set(r.id, { ...seen, level: r.level });
  }
  return [...byId.values()];
}

/** Who must hear of `event`; `c` is the case as recorded with the event's batch. */
export function recipientsOf(event: CaseEvent, c: WhistleCase): Receiver[] {
  const rule = ruleOf(event.type);
  return distinct([...(rule ? rule(event, c) : []), ...escalationReceivers(event, c)]);
}

/** The stable id a receiver de-duplicates on: one per case event. */
export function notificationEventId(caseId: string, seq: number): string {
  return `${caseId}:${seq}`;
}

/** The outbox key of one event for one receiver. */
export function notificationId(caseId: string, seq: number, receiverId: string): string {
  return `${notificationEventId(caseId, seq)}:${receiverId}`;
}

/** `supervision-office` → `SUPERVISION_OFFICE`: how an id appears in environment variable names. */
export function envSuffix(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
