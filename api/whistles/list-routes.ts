/** `GET /whistles`: the caller's cases from the projection, filtered and paged; scope is enforced here. */
import { Router } from 'express';
import { listScope, type ListScope } from '../../domain/access';
import type { Actor } from '../../domain/identity';
import type { CaseProjectionModel } from '../../store/case-projections';
import { searchCases, type CaseFilter } from '../../store/case-search';
import { actorOf } from '../http/authenticate';
import { parse } from '../http/validate';
import { CaseListQuery } from './schemas';

/** The caller's filter within its scope; asking for another unit's cases finds nothing, rather than everything. */
function scoped(filter: CaseFilter, actor: Actor): CaseFilter | undefined {
  const scope = listScope(actor);
  const outside = (Object.keys(scope) as (keyof ListScope)[]).some((k) => filter[k] && filter[k] !== scope[k]);
  return outside ? undefined : { ...filter, ...scope };
}

export function caseListRoutes(cases: CaseProjectionModel): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { page, pageSize, overdue, ...rest } = parse(CaseListQuery, req.query);
    const filter = scoped({ ...rest, ...(overdue ? { overdue: overdue === 'true' } : {}) }, actorOf(req));
    // asking for another township's or department's cases finds nothing, rather than everything
    const { items, total } = filter ? await searchCases(cases, filter, page, pageSize) : { items: [], total: 0 };
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
