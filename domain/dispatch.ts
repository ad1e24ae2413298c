/**
 * The dispatch desk (统一分流): a whistle the list could not route waits for a dispatcher, on the
 * desk's own clock. Classifying routes it like any whistle; the called departments' clocks start
 * at that moment, since that is when they are called.
 */
import { calendarByVersion } from './calendars';
import { advanceClock, startClock, type Milestone } from './duty-clock';
import type { Actor } from './identity';
import type { Routing } from './routing';
import type { Duty, WhistleCase } from './case/shape';
import type { Refusal } from './case/refusal';

export type Routed = Extract<Routing, { kind: 'routed' }>;

export function refuseClassify(c: WhistleCase, actor: Actor): Refusal | undefined {
  if (actor.role !== 'dispatcher')
    return { kind: 'forbidden', reason: 'only the dispatch desk classifies a whistle / 仅调度室可分流' };
  if (c.status !== 'dispatching')
    return { kind: 'conflict', reason: `the case is ${c.status}; it was routed already / 已分流` };
  return undefined;
}

export function classify(c: WhistleCase, actor: Actor, at: Date, routing: Routed): WhistleCase {
  const calendar = calendarByVersion(routing.calendarVersion);
  const duties = routing.departments.map(({ departmentId, role }): Duty => ({
    departmentId,
    role,
    status: 'called',
    calledAt: at.toISOString(),
    clocks: {
      acknowledge: startClock(routing.profile.acknowledge, at, calendar),
      onSite: startClock(routing.profile.onSite, at, calendar),
    },
  }));
  return {
    ...c,
    status: 'reporting',
    duties,
    routing: {
      listVersion: routing.listVersion,
      calendarVersion: routing.calendarVersion,
      slaProfile: routing.profile.id,
      matter: routing.matter,
    },
    dispatch: { clock: { ...c.dispatch!.clock, metAt: at.toISOString() }, classifiedBy: actor.accountId },
  };
}

export function deskMilestone(c: WhistleCase, m: Milestone): WhistleCase {
  return { ...c, dispatch: { ...c.dispatch!, clock: advanceClock(c.dispatch!.clock, m) } };
}
