/**
 * Taking in a whistle, whatever door it comes through (the API, Open311): check the township and
 * grid, route it by the list in force, start its case. With an idempotency key the case id is
 * derived from the caller and the key, so a retried request finds the case it already started.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { Actor } from '../../domain/identity';
import type { Township } from '../../domain/organisation/schemas';
import { calendarChoice, route, routeReverse } from '../../domain/routing';
import { CalendarRangeError } from '../../domain/calendar';
import { openCase, scheduleOf } from '../../domain/whistle';
import type { CachedLookup } from '../http/cached-lookup';
import { HttpProblem } from '../http/problem';
import type { ListInForceCache } from '../matters/list-in-force';
import type { CaseNumbers } from '../../store/case-numbers';
import type { Routed } from '../../domain/dispatch';
import { DRILL_PROFILE, type DeskHours } from '../../domain/sla';
import type { ListInForce, Routing } from '../../domain/routing';
import type { CaseGateway } from './case-gateway';
import type { CalendarInForce } from '../calendar/in-force';
import { isRefusal, type Refusal } from '../../domain/case/refusal';
import type { RaiseWhistle, WhistleCase } from '../../domain/case/shape';

export interface Intake {
  case: WhistleCase;
  /** false when an idempotent retry found the case it had started before */
  created: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class WhistleIntake {
  constructor(
    private readonly cases: CaseGateway,
    private readonly list: ListInForceCache,
    private readonly townships: CachedLookup<Township>,
    private readonly numbers: CaseNumbers,
    private readonly options: { deskHours?: DeskHours; drillSla?: boolean },
    /** the calendar version in force: a new case keeps it for its whole life */
    private readonly calendar: CalendarInForce,
    private readonly now: () => Date,
  ) {}

  /** The routing as the county runs it: on the drill profile when configured so. */
  private configured<R extends Routing | Refusal>(routing: R): R {
    return this.options.drillSla && !isRefusal(routing) ? { ...routing, profile: DRILL_PROFILE } : routing;
  }

  /**
   * `caseId`, when the caller has fixed it (a grid report's case): a case that exists already under it
   * is answered as it is, whatever the body — the caller keeps the link, this only starts it once.
   */
  async raise(actor: Actor, raise: RaiseWhistle, idempotencyKey?: string, fixedCaseId?: string): Promise<Intake> {
    const reverse = raise.direction === 'to_township';
    if (
      reverse ? actor.role !== 'department' : actor.role !== 'township' || raise.location.townshipId !== actor.orgUnitId
    ) {
      throw new HttpProblem(
        403,
        'Forbidden',
        reverse
          ? 'a reverse whistle (to_township) is raised by a county department / 部门吹哨须由县级部门发起'
          : `a township raises whistles for itself only (token: ${actor.orgUnitId ?? actor.role}) / 只能为本乡镇吹哨`,
      );
    }
    const township = await this.townships.get(raise.location.townshipId);
    if (!township || township.retired)
      throw unprocessable('location.townshipId', `no township ${raise.location.townshipId}`);
    if (raise.location.gridId && !township.grids.some((g) => g.id === raise.location.gridId)) {
      throw unprocessable(
        'location.gridId',
        `grid ${raise.location.gridId} is not in ${township.name.zh} / 网格不属于该乡镇`,
      );
    }
    if (reverse && !township.modules.some((m) => m.key === raise.assistModule)) {
      throw unprocessable(
        'assistModule',
        `${township.name.zh} has no module "${raise.assistModule}"; it has ${township.modules.map((m) => m.key).join(', ')} / 乡镇无此模块`,
      );
    }
    const raisedAt = this.now();
    const list = {
      ...(await this.list.inForce(raise.matterCode)),
      ...(await this.calendar.forRouting(raisedAt)),
      deskHours: this.options.deskHours ?? 'office',
    };
    void this.calendar.coverage().catch(() => undefined); // logs the day's warning, once a day
    const routing = this.configured(reverse ? this.routeReverse(actor, raise, township, list) : route(raise, list));
    if (isRefusal(routing)) throw unprocessable('departmentIds', routing.reason);

    const requestHash = sha256(canonicalize(raise));
    const caseId =
      fixedCaseId ??
      (idempotencyKey
        ? `case-${sha256(`${actor.accountId}\0${idempotencyKey}`).slice(0, 32)}`
        : `case-${randomUUID()}`);
    const opened = covered(() => openCase(caseId, raise, actor, raisedAt, routing));
    const caseNumber = await this.numbers.next(raisedAt);
    const started = await this.cases.raise(caseId, raise, actor, raisedAt, routing, requestHash, caseNumber);
    if (started.started) return { case: { ...opened, caseNumber }, created: true };
    if (!fixedCaseId && started.requestHash !== requestHash) {
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        'this Idempotency-Key was used with a different request body / 幂等键已用于不同请求',
        {
          errors: [{ field: 'Idempotency-Key', reason: 'reused with a different body' }],
        },
      );
    }
    return { case: await this.cases.state(caseId), created: false };
  }

  /** 部门吹哨、乡镇报到: onto the list only, within the township's role; the department leads. */
  private routeReverse(actor: Actor, raise: RaiseWhistle, township: Township, list: ListInForce): Routing {
    const routing = routeReverse(
      {
        ...raise,
        townshipId: township.id,
        departmentId: actor.orgUnitId!,
        assistModule: raise.assistModule!,
        assistTasks: raise.assistTasks ?? [],
      },
      list,
    );
    if (isRefusal(routing)) throw unprocessable(routing.field, routing.reason);
    return routing;
  }

  /** The dispatch desk routes an unclear whistle by the list in force, as if it had named the matter. */
  async routeForDesk(
    actor: Actor,
    caseId: string,
    request: { matterCode: string; departmentIds?: string[] },
  ): Promise<{ routing: Routed }> {
    const c = await this.cases.state(caseId);
    // the case keeps the calendar it was raised with
    const list = { ...(await this.list.inForce(request.matterCode)), ...calendarChoice(c.routing) };
    const routing = this.configured(route({ ...request, urgency: c.urgency }, list));
    if (isRefusal(routing)) throw unprocessable('departmentIds', routing.reason);
    // an unknown or retired matter would send it back to the desk: the desk must name one on the list
    if (routing.kind !== 'routed') throw unprocessable('matterCode', routing.reason);
    const { title, description, urgency, location } = c;
    covered(() => openCase(caseId, { title, description, urgency, location }, actor, this.now(), routing));
    return { routing };
  }
}

/**
 * The case's every deadline, warning and escalation instant must fall within the working calendar's
 * data; otherwise nothing starts and the caller is told which date is missing (a clear 503 instead
 * of a workflow that cannot compute its clocks).
 */
function covered(open: () => WhistleCase): WhistleCase {
  try {
    const c = open();
    scheduleOf(c);
    return c;
  } catch (err) {
    if (!(err instanceof CalendarRangeError)) throw err;
    const year = err.date.slice(0, 4);
    throw new HttpProblem(
      503,
      'Service Unavailable',
      `${err.message}: the case's deadlines would reach ${year}, which has no holiday data. An administrator loads the State Council's ${year} holiday notice (PUT /api/v1/calendar/years/${year}), then the whistle can be raised / 工作日历缺少${year}年数据，请管理员载入国务院办公厅${year}年节假日安排通知后再吹哨`,
    );
  }
}

function unprocessable(field: string, reason: string): HttpProblem {
  return new HttpProblem(422, 'Unprocessable Content', reason, { errors: [{ field, reason }] });
}
