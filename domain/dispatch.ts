/**
 * The dispatch desk (统一分流): a whistle the list could not route waits for a dispatcher, on the
 * desk's own clock. Classifying routes it like any whistle; the called departments' clocks start
 * at that moment, since that is when they are called.
 */
import { calendarOf } from './calendars';
import { advanceClock, type Milestone } from './duty-clock';
import { callDuty } from './whistle';
import type { Actor } from './identity';
import { calendarChoice, type Routing } from './routing';
import type { CaseRouting, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

export type Routed = Extract<Routing, { kind: 'routed' }>;

export function refuseClassify(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'dispatcher')
    return { kind: 'forbidden', reason: 'only the dispatch desk classifies a whistle / 仅调度室可分流' };
  if (c.status !== 'dispatching')
    return { kind: 'conflict', reason: `the case is ${c.status}; it was routed already / 已分流` };
  return undefined;
}

/**
 * Routes the whistle: each department is called by the same rule as on a direct whistle, its clocks
 * from now, the lead's resolve clock with them. Cases classified before the desk called the lead to
 * a result (`withResolveClock` false) keep the report-for-duty clocks only.
 */
export function classify(
  c: WhistleCase,
  actor: Actor,
  at: Date,
  routing: Routed,
  withResolveClock: boolean,
): WhistleCase {
  const calendar = calendarOf(routing);
  const duties = routing.departments.map(({ departmentId, role }) => {
    const duty = callDuty(departmentId, role, at, routing.profile, calendar);
    if (withResolveClock) return duty;
    const { resolve: _notYet, ...clocks } = duty.clocks;
    return { ...duty, clocks };
  });
  return {
    ...c,
    status: 'reporting',
    duties,
    routing: caseRoutingOf(routing),
    dispatch: { clock: { ...c.dispatch!.clock, metAt: at.toISOString() }, classifiedBy: actor.accountId },
  };
}

export function deskMilestone(c: WhistleCase, m: Milestone): WhistleCase {
  return { ...c, dispatch: { ...c.dispatch!, clock: advanceClock(c.dispatch!.clock, m) } };
}

/** Whether nobody has acted on the case yet: every called party still only called, nothing planned or disputed. */
function untouched(c: WhistleCase): boolean {
  return (
    c.status === 'reporting' && !c.plan && c.duties.every((d) => d.status === 'called' && !d.dispute && !d.suspension)
  );
}

/** The desk returns a whistle that is not the county's business: at the desk, or before anyone acted. */
export function refuseReturn(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'dispatcher')
    return { kind: 'forbidden', reason: 'only the dispatch desk returns a whistle / 仅调度室可退回' };
  if (c.status !== 'dispatching' && !untouched(c))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}${c.status === 'reporting' ? ' and a party has acted' : ''}; a whistle is returned before anyone acts / 已有单位处理，不可退回`,
    };
  return undefined;
}

/** Returned to the township with the reason: the case ends, every clock stops. */
export function returnWhistle(c: WhistleCase, actor: Actor, at: Date, reason: string): WhistleCase {
  const now = at.toISOString();
  const dispatch =
    c.dispatch && !c.dispatch.clock.metAt
      ? { dispatch: { ...c.dispatch, clock: { ...c.dispatch.clock, metAt: now } } }
      : {};
  return { ...c, ...dispatch, status: 'returned', returned: { at: now, by: actor.accountId, reason } };
}

/** The desk corrects a routing before anyone has acted on it. */
export function refuseReroute(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'dispatcher')
    return { kind: 'forbidden', reason: 'only the dispatch desk re-routes a case / 仅调度室可改派' };
  if (!untouched(c))
    return {
      kind: 'conflict',
      reason: `the case is ${c.status}; a case is re-routed while no party has acted on it / 已有单位处理，不可重新分流`,
    };
  return undefined;
}

/**
 * Every old duty is released (excused: the routing was wrong, not the department) and the parties
 * of the new routing are called on fresh clocks; the routing it replaces stays on record.
 */
export function reroute(c: WhistleCase, actor: Actor, at: Date, routing: Routed, reason: string): WhistleCase {
  const now = at.toISOString();
  const calendar = calendarOf(routing);
  const released = c.duties.map((d) => ({ ...d, releasedAt: now, excused: true as const }));
  return {
    ...c,
    duties: routing.departments.map(({ departmentId, role }) =>
      callDuty(departmentId, role, at, routing.profile, calendar),
    ),
    releasedDuties: [...(c.releasedDuties ?? []), ...released],
    reroutes: [...(c.reroutes ?? []), { at: now, by: actor.accountId, reason, from: c.routing }],
    routing: caseRoutingOf(routing),
  };
}

/** What the case keeps of a routing for its whole life. */
function caseRoutingOf(routing: Routed): CaseRouting {
  const { listVersion, profile, matter } = routing;
  return { listVersion, ...calendarChoice(routing), slaProfile: profile.id, matter };
}
