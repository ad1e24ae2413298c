/**
 * `GET /api/v1/queues/*`: each role's work queue (待办), soonest deadline first, read from the case
 * projection by indexed equality (the unit's cases, the desk's status, the supervisor's flag).
 */
import { Router, type Request } from 'express';
import { sendCsv } from '../http/csv-export';
import type { WhistleCase } from '../../domain/case/shape';
import { listScope } from '../../domain/access';
import {
  atTheDesk,
  dutiesOf,
  forSupervision,
  lateClocks,
  latestFirst,
  soonestFirst,
  type QueueItem,
} from '../../domain/queues';
import type { CaseProjectionModel } from '../../store/case-projections';
import { actorOf, requireRole } from '../http/authenticate';
import type { OverdueFeedModel } from '../../store/overdue-feed';
import type { Logger } from '../../platform/logger';
import { overdueStream } from './overdue-stream';

/** A case in the queue is one still running: a final or closed case waits for nobody. */
const OPEN = ['dispatching', 'reporting', 'in_progress', 'awaiting_verification'];

export function queueRoutes(cases: CaseProjectionModel): Router {
  const router = Router();
  const queue = async (filter: Record<string, unknown>, pick: (c: WhistleCase) => QueueItem[]) => {
    const docs = await cases.find(filter).lean<WhistleCase[]>();
    return { items: soonestFirst(docs.filter((c) => OPEN.includes(c.status)).flatMap(pick)) };
  };

  // a department its duties and steps; a township the duties of reverse whistles and its module steps
  router.get('/duties', requireRole('department', 'township'), async (req, res) => {
    const { role, orgUnitId } = actorOf(req);
    const unit = orgUnitId!;
    res.json(
      await queue(role === 'department' ? { departmentIds: unit } : { townshipId: unit }, (c) => dutiesOf(c, unit)),
    );
  });
  router.get('/desk', requireRole('dispatcher', 'supervisor'), async (_req, res) => {
    res.json(await queue({ status: 'dispatching' }, atTheDesk));
  });
  router.get('/supervision', requireRole('supervisor'), async (_req, res) => {
    res.json(await queue({ awaitingSupervision: true }, forSupervision));
  });
  return router;
}

/**
 * `GET /api/v1/overdue`: every late clock in the caller's scope, the latest first, with who and which
 * rung; `/stream` pushes each breach, escalation and cure as it is recorded (overdue-stream.ts).
 */
export function overdueRoutes(cases: CaseProjectionModel, feed: OverdueFeedModel, logger?: Logger): Router {
  const router = Router();
  router.get('/stream', overdueStream(feed, logger));
  const late = async (req: Request) => {
    const now = new Date();
    const { townshipId, departmentId } = listScope(actorOf(req));
    const filter = {
      overdue: true,
      ...(townshipId ? { townshipId } : {}),
      ...(departmentId ? { departmentIds: departmentId } : {}),
    };
    const docs = await cases.find(filter).lean<WhistleCase[]>();
    return latestFirst(docs.flatMap((c) => lateClocks(c, now)));
  };
  router.get('/', async (req, res) => {
    res.json({ items: await late(req) });
  });
  // the same as a spreadsheet (UTF-8 with BOM)
  router.get('/export', async (req, res) => {
    const columns = [
      'caseId',
      'caseNumber',
      'title',
      'townshipId',
      'clock',
      'late',
      'deadline',
      'lateByMs',
      'rung',
    ] as const;
    sendCsv(
      res,
      'overdue.csv',
      columns,
      (await late(req)).map((i) => columns.map((k) => i[k])),
    );
  });
  return router;
}
