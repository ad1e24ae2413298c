/** Every activity of the service, built over one store connection. Activities are the only code with I/O. */
import type { Connection } from 'mongoose';
import { auditEventModel } from '../store/audit-events';
import { caseProjectionModel } from '../store/case-projections';
import { journalActivities } from './journal';

export function createActivities(connection: Connection) {
  return {
    ...journalActivities({ auditEvents: auditEventModel(connection), cases: caseProjectionModel(connection) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
