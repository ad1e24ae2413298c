/**
 * Checks the latest anchor: found through Temporal (the completed `auditAnchor` workflows and their
 * results), not through the database, then compared with what the database holds now: the leaves
 * kept in audit_anchors must give the anchored root, and every case's stored event at its anchored
 * seq must still carry the anchored hash (later events extend a chain; they never change its past).
 */
import type { Client } from '@temporalio/client';
import type { AnchorResult } from '../../activities/anchor';
import type { ChainedEvent } from '../../store/audit-chain';
import { merkleRoot, type AnchorModel, type ChainHead } from '../../store/audit-anchors';
import type { AuditEventModel } from '../../store/audit-events';

export interface AnchorVerdict {
  found: boolean;
  anchorId?: string;
  at?: string;
  root?: string;
  cases?: number;
  valid?: boolean;
  reason?: string;
  /** cases whose stored chain no longer holds the anchored head */
  mismatches?: { caseId: string; seq: number; reason: string }[];
}

type Mismatch = NonNullable<AnchorVerdict['mismatches']>[number];

/** The most recently closed anchoring run, as Temporal's visibility lists it. */
async function latestAnchorRun(client: Client): Promise<{ workflowId: string; runId: string } | undefined> {
  let latest: { workflowId: string; runId: string; closed: number } | undefined;
  for await (const run of client.workflow.list({
    query: "WorkflowType = 'auditAnchor' AND ExecutionStatus = 'Completed'",
  })) {
    const closed = run.closeTime?.getTime() ?? 0;
    if (!latest || closed > latest.closed) latest = { workflowId: run.workflowId, runId: run.runId, closed };
  }
  return latest;
}

/** One check of the latest anchor, fed each case's history as the case check reads it. */
export class AnchorCheck {
  private readonly mismatches: Mismatch[] = [];

  private constructor(
    private readonly verdict: AnchorVerdict,
    /** anchored heads not yet compared, by case */
    private readonly pending: Map<string, ChainHead>,
  ) {}

  static async latest(client: Client, anchors: AnchorModel): Promise<AnchorCheck> {
    const run = await latestAnchorRun(client);
    if (!run) return new AnchorCheck({ found: false }, new Map());
    const anchored = (await client.workflow.getHandle(run.workflowId, run.runId).result()) as AnchorResult;
    const { anchorId, at, root, cases } = anchored;
    const head: AnchorVerdict = { found: true, anchorId, at, root, cases };
    const doc = await anchors.findById(anchorId).lean();
    if (!doc)
      return new AnchorCheck({ ...head, valid: false, reason: 'the anchor is gone from the database' }, new Map());
    if (doc.leaves.length !== cases || merkleRoot(doc.leaves) !== root)
      return new AnchorCheck(
        { ...head, valid: false, reason: 'the leaves in the database do not give the anchored root' },
        new Map(),
      );
    return new AnchorCheck(head, new Map(doc.leaves.map((leaf) => [leaf.caseId, leaf])));
  }

  /** Compares a case's stored events with its anchored head, if it has one. */
  observe(caseId: string, history: ChainedEvent[]): void {
    const leaf = this.pending.get(caseId);
    if (!leaf) return;
    this.pending.delete(caseId);
    this.compare(
      leaf,
      history.find((e) => e.seq === leaf.seq),
    );
  }

  /** The verdict, once the anchored cases the case check did not read are read by key. */
  async finish(events: AuditEventModel): Promise<AnchorVerdict> {
    if (this.verdict.valid === false || !this.verdict.found) return this.verdict;
    for (const leaf of this.pending.values())
      this.compare(leaf, (await events.findById(`${leaf.caseId}:${leaf.seq}`).lean()) ?? undefined);
    this.pending.clear();
    return this.mismatches.length
      ? {
          ...this.verdict,
          valid: false,
          reason: `${this.mismatches.length} case(s) no longer hold their anchored head`,
          mismatches: this.mismatches,
        }
      : { ...this.verdict, valid: true };
  }

  private compare(leaf: ChainHead, stored: { hash: string } | undefined): void {
    if (!stored) this.mismatches.push({ caseId: leaf.caseId, seq: leaf.seq, reason: 'the anchored event is missing' });
    else if (stored.hash !== leaf.hash)
      this.mismatches.push({ caseId: leaf.caseId, seq: leaf.seq, reason: 'the anchored event has another hash now' });
  }
}
