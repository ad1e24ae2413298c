/**
 * `/api/v1/grid-reports` (网格上报): a grid member files a report into its township; the township
 * lists its open reports and either handles one itself or turns it into a whistle in one step
 * (`POST …/{id}/whistle`), the case and the report keeping each other's id. Who may do what in which
 * state is domain/grid-report.ts; this translates HTTP to it and to the store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Refusal } from '../../domain/case/refusal';
import type { RaiseWhistle } from '../../domain/case/shape';
import {
  canSeeReport,
  claimForWhistle,
  fileReport,
  handle,
  refuseFile,
  refuseHandle,
  refuseWhistle,
  whistleTitle,
  type GridReport,
} from '../../domain/grid-report';
import type { Actor } from '../../domain/identity';
import type { GridReports } from '../../store/grid-reports';
import { actorOf, requireRole } from '../http/authenticate';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import { REFUSAL_STATUS } from '../whistles/case-gateway';
import type { WhistleIntake } from '../whistles/intake';
import {
  FileGridReportBody,
  GridReportIdParam,
  GridReportListQuery,
  HandleGridReportBody,
  WhistleFromReportBody,
} from './schemas';

function refuse(refusal: Refusal | undefined, field?: string): void {
  if (!refusal) return;
  const [status, title] = REFUSAL_STATUS[refusal.kind];
  const errors = refusal.kind === 'invalid' && field ? { errors: [{ field, reason: refusal.reason }] } : {};
  throw new HttpProblem(status, title, refusal.reason, errors);
}

/** The case a report becomes has an id derived from the report: whoever turns it, it is one case. */
export const caseIdOfReport = (reportId: string) =>
  `case-${createHash('sha256').update(`grid-report\0${reportId}`).digest('hex').slice(0, 32)}`;

const COUNTY_WIDE = ['dispatcher', 'supervisor', 'admin'] as const;

export function gridReportRoutes(reports: GridReports, intake: WhistleIntake): Router {
  const router = Router();

  /** The report, if the caller may see it: 404 unknown, 403 outside the caller's scope. */
  const visible = async (id: string, actor: Actor): Promise<GridReport> => {
    const report = await reports.get(id);
    if (!report) throw new HttpProblem(404, 'Not Found', `no grid report ${id} / 网格上报不存在`);
    if (!canSeeReport(report, actor))
      throw new HttpProblem(403, 'Forbidden', `grid report ${id} is outside your scope / 无权查看`);
    return report;
  };

  router.post('/', requireRole('grid'), async (req, res) => {
    const body = parse(FileGridReportBody, req.body);
    const actor = actorOf(req);
    refuse(refuseFile(actor, body), 'gridId');
    const report = fileReport(`gr-${randomUUID()}`, actor, new Date(), body);
    await reports.file(report);
    res.status(201).location(`${req.baseUrl}/${report.id}`).json(report);
  });

  router.get('/', requireRole('grid', 'township', ...COUNTY_WIDE), async (req, res) => {
    const { status, townshipId } = parse(GridReportListQuery, req.query);
    const actor = actorOf(req);
    if (actor.role === 'grid') {
      const own = await reports.filedBy(actor.accountId);
      return void res.json({ items: own.filter((r) => !status || r.status === status) });
    }
    const township = actor.role === 'township' ? actor.orgUnitId! : townshipId;
    if (!township)
      throw new HttpProblem(400, 'Bad Request', 'name the township: ?townshipId=… / 请指定乡镇', {
        errors: [{ field: 'townshipId', reason: 'required for county-wide roles' }],
      });
    // a township asking for another's reports finds nothing, rather than everything
    if (townshipId && townshipId !== township) return void res.json({ items: [] });
    res.json({ items: await reports.ofTownship(township, status ?? 'open') });
  });

  router.get('/:id', requireRole('grid', 'township', ...COUNTY_WIDE), async (req, res) => {
    const { id } = parse(GridReportIdParam, req.params);
    res.json(await visible(id, actorOf(req)));
  });

  router.post('/:id/handle', requireRole('township'), async (req, res) => {
    const { id } = parse(GridReportIdParam, req.params);
    const { note } = parse(HandleGridReportBody, req.body);
    const actor = actorOf(req);
    const report = await visible(id, actor);
    refuse(refuseHandle(report, actor));
    const handled = handle(report, actor, new Date(), note);
    // another clerk decided first: say what they decided
    if (!(await reports.transition('open', handled))) refuse(refuseHandle((await reports.get(id))!, actor));
    res.json(handled);
  });

  /**
   * In one step: the report is claimed (`whistling`, naming its case id), the whistle is blown with
   * the report's place, grid and evidence and `gridReportId`, then the report is `whistled`. A
   * repeated call — after success, or after one interrupted half-way — answers the same case (200).
   * A whistle the rules refuse (422, or 503 for a calendar gap) leaves the report open.
   */
  router.post('/:id/whistle', requireRole('township'), async (req, res) => {
    const { id } = parse(GridReportIdParam, req.params);
    const body = parse(WhistleFromReportBody, req.body);
    const actor = actorOf(req);
    const found = await visible(id, actor);
    refuse(refuseWhistle(found, actor));
    let report = found;
    if (found.status === 'open') {
      report = claimForWhistle(found, actor, new Date(), caseIdOfReport(id));
      if (!(await reports.transition('open', report))) refuse(refuseWhistle((await reports.get(id))!, actor));
    }
    const caseId = report.whistle!.caseId;
    const raise: RaiseWhistle = {
      ...(body.matterCode ? { matterCode: body.matterCode } : {}),
      title: body.title ?? whistleTitle(report),
      description: body.description ?? report.description,
      urgency: body.urgency,
      location: { townshipId: report.townshipId, gridId: report.gridId, ...report.location },
      ...(body.departmentIds ? { departmentIds: body.departmentIds } : {}),
      ...(report.evidence.length ? { evidence: report.evidence } : {}),
      gridReportId: id,
    };
    let raised;
    try {
      raised = await intake.raise(actor, raise, undefined, caseId);
    } catch (err) {
      // refused before the case started: the report is open again, as it was
      if (found.status === 'open' && err instanceof HttpProblem) await reports.transition('whistling', found);
      throw err;
    }
    if (report.status === 'whistling') {
      const whistled: GridReport = { ...report, status: 'whistled' };
      await reports.transition('whistling', whistled);
      report = whistled;
    } else await reports.counted(report);
    res
      .status(raised.created ? 201 : 200)
      .location(`/api/v1/whistles/${caseId}`)
      .json({ gridReport: report, case: raised.case });
  });

  return router;
}
