/** `GET /whistles`: the caller's cases from the lists' read model (store/case-list.ts), filtered and paged; scope is enforced here. */
import { Router, type Request } from 'express';
import { sendCsv } from '../http/csv-export';
import { listScope, type ListScope } from '../../domain/access';
import type { Actor } from '../../domain/identity';
import { listPage, type CaseListModels } from '../../store/case-list';
import type { CaseFilter } from '../../store/case-search';
import { actorOf } from '../http/authenticate';
import { parse } from '../http/validate';
import { CaseListQuery, ExportQuery } from './schemas';

/** The caller's filter within its scope; asking for another unit's cases finds nothing, rather than everything. */
function scoped(filter: CaseFilter, actor: Actor): CaseFilter | undefined {
  const scope = listScope(actor);
  const outside = (Object.keys(scope) as (keyof ListScope)[]).some((k) => filter[k] && filter[k] !== scope[k]);
  return outside ? undefined : { ...filter, ...scope };
}

/** At most this many rows in one export: a county's year of cases fits. */
const EXPORT_LIMIT = 50_000;

const EXPORT_COLUMNS = [
  'caseId',
  'caseNumber',
  'title',
  'status',
  'urgency',
  'townshipId',
  'matterCode',
  'departmentIds',
  'overdue',
  'raisedAt',
  'updatedAt',
] as const;

export function caseListRoutes(lists: CaseListModels): Router {
  const router = Router();
  /** The caller's filtered cases; asking for another township's or department's finds nothing, rather than everything. */
  const search = async (req: Request, query: unknown, page: number, pageSize: number) => {
    const { page: _p, pageSize: _s, overdue, ...rest } = parse(CaseListQuery, query);
    const filter = scoped({ ...rest, ...(overdue ? { overdue: overdue === 'true' } : {}) }, actorOf(req));
    return filter ? listPage(lists, filter, page, pageSize) : { items: [], total: 0 };
  };

  // the list as a spreadsheet (UTF-8 with BOM), with the same filters and scope
  router.get('/export', async (req, res) => {
    const { format: _csv, ...filters } = parse(ExportQuery, req.query);
    const { items } = await search(req, filters, 1, EXPORT_LIMIT);
    const rows = items.map((c) =>
      EXPORT_COLUMNS.map((k) => (k === 'departmentIds' ? c.departmentIds.join(';') : c[k])),
    );
    sendCsv(res, 'cases.csv', EXPORT_COLUMNS, rows);
  });

  router.get('/', async (req, res) => {
    const { page, pageSize } = parse(CaseListQuery, req.query);
    const { items, total } = await search(req, req.query, page, pageSize);
    res.json({
      items: items.map((c) => ({
        caseId: c.caseId,
        ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
        title: c.title,
        status: c.status,
        urgency: c.urgency,
        townshipId: c.townshipId,
        matterCode: c.matterCode ?? null,
        departmentIds: c.departmentIds,
        overdue: c.overdue,
        raisedAt: c.raisedAt,
        ...(c.raisedByModule ? { raisedByModule: c.raisedByModule } : {}),
        ...(c.gridReportId ? { gridReportId: c.gridReportId } : {}),
        updatedAt: c.updatedAt,
        duties: c.duties,
      })),
      page,
      pageSize,
      total,
    });
  });
  return router;
}
