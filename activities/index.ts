/** Every activity of the service, built over one store connection. Activities are the only code with I/O. */
import type { Connection } from 'mongoose';
import { anchorModel } from '../store/audit-anchors';
import { auditEventModel } from '../store/audit-events';
import { caseFactsModel } from '../store/case-facts';
import { GridReports } from '../store/grid-reports';
import { caseProjectionModel } from '../store/case-projections';
import { caseListModels } from '../store/case-list';
import { listProposalModel } from '../store/list-proposals';
import { organisation } from '../store/organisation';
import { outboxModel } from '../store/outbox';
import { overdueFeedModel } from '../store/overdue-feed';
import { rollupModels } from '../store/stats-rollups';
import { anchorActivities } from './anchor';
import { journalActivities } from './journal';
import { notifier } from './notify';
import { rollupActivities } from './stats-rollup';

export function createActivities(connection: Connection) {
  const outbox = outboxModel(connection);
  const { townships, departments } = organisation(connection);
  const auditEvents = auditEventModel(connection);
  const { deliverNotifications, deliverToLogs } = notifier({ outbox, townships, departments });
  return {
    ...journalActivities({
      auditEvents,
      cases: caseProjectionModel(connection),
      caseList: caseListModels(connection),
      outbox,
      listProposals: listProposalModel(connection),
      caseFacts: caseFactsModel(connection),
      overdueFeed: overdueFeedModel(connection),
      deliverToLogs,
    }),
    ...anchorActivities({ auditEvents, anchors: anchorModel(connection) }),
    ...rollupActivities(rollupModels(connection), new GridReports(connection)),
    deliverNotifications,
  };
}

export type Activities = ReturnType<typeof createActivities>;
