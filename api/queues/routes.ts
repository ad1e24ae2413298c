/**
 * `GET /api/v1/queues/*`: each role's work queue (待办), soonest deadline first, read from the lists'
 * read model by a live key (store/case-list.ts): only the cases waiting for that unit, desk or office,
 * whose queue items were worked out when their events were recorded.
 */
import { Router, type Request } from 'express';
import { sendCsv } from '../http/csv-export';
import { listScope } from '../../domain/access';
import { lateAt, latestFirst, soonestFirst, type QueueItem } from '../../domain/queues';
import { liveEntries, type CaseListEntry, type CaseListModels } from '../../store/case-list';
import { actorOf, requireRole } from '../http/authenticate';
import type { OverdueFeedModel } from '../../store/overdue-feed';
import type { Logger } from '../../platform/logger';
import { overdueStream } from './overdue-stream';

export function queueRoutes(lists: CaseListModels): Router {
  const router = Router();
  const queue = async (key: string, pick: (e: CaseListEntry) => QueueItem[]) => ({
    items: soonestFirst((await liveEntries(lists, key)).flatMap(pick)),
  });

  // a department its duties and steps; a township the duties of reverse whistles and its module steps
  router.get('/duties', requireRole('department', 'township'), async (req, res) => {
    const unit = actorOf(req).orgUnitId!;
    res.json(await queue(`queue:${unit}`, (e) => e.pending.find((p) => p.unit === unit)?.items ?? []));
  });
  router.get('/desk', requireRole('dispatcher', 'supervisor'), async (_req, res) => {
    res.json(await queue('desk', (e) => e.desk));
  });
  router.get('/supervision', requireRole('supervisor'), async (_req, res) => {
    res.json(await queue('supervision', (e) => e.supervision));
  });
  return router;
}

/**
 * `GET /api/v1/overdue`: every late clock in the caller's scope, the latest first, with who and which
 * rung; `/stream` pushes each breach, escalation and cure as it is recorded (overdue-stream.ts).
 */
export function overdueRoutes(lists: CaseListModels, feed: OverdueFeedModel, logger?: Logger): Router {
  const router = Router();
  router.get('/stream', overdueStream(feed, logger));
  const late = async (req: Request) => {
    const now = new Date();
    const { townshipId, departmentId } = listScope(actorOf(req));
    const key = departmentId ? `late:department:${departmentId}` : townshipId ? `late:township:${townshipId}` : 'late';
    return latestFirst((await liveEntries(lists, key)).flatMap((e) => e.late.map((k) => lateAt(k, now))));
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
