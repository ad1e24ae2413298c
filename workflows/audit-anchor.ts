/**
 * The periodic digest (run by the Temporal Schedule `audit-anchor`): a Merkle root over every case's
 * chain head, returned as this workflow's result so Temporal's history keeps it where rewriting the
 * database cannot reach.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AnchorResult } from '../activities/anchor';

const { anchorChainHeads } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2, maximumAttempts: 20 },
});

export async function auditAnchor(): Promise<AnchorResult> {
  const { workflowId, runId } = workflowInfo();
  return anchorChainHeads({ anchorId: workflowId, runId, at: new Date().toISOString() });
}
