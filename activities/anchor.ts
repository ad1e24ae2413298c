/** The anchoring activity: every case's chain head, their Merkle root, kept in audit_anchors. */
import type { AuditEventModel } from '../store/audit-events';
import { chainHeads, merkleRoot, type AnchorModel } from '../store/audit-anchors';

export interface AnchorInput {
  /** the anchoring workflow's id and run, the anchor's key */
  anchorId: string;
  runId: string;
  at: string;
}

/** What the anchoring workflow returns and Temporal keeps in its history. */
export interface AnchorResult {
  anchorId: string;
  at: string;
  root: string;
  cases: number;
}

export function anchorActivities(models: { auditEvents: AuditEventModel; anchors: AnchorModel }) {
  async function anchorChainHeads({ anchorId, runId, at }: AnchorInput): Promise<AnchorResult> {
    const leaves = await chainHeads(models.auditEvents);
    const root = merkleRoot(leaves);
    // a retried activity writes the same anchor again (its key is the workflow's id)
    await models.anchors.replaceOne(
      { _id: anchorId },
      { _id: anchorId, runId, at, root, cases: leaves.length, leaves },
      { upsert: true },
    );
    return { anchorId, at, root, cases: leaves.length };
  }
  return { anchorChainHeads };
}
