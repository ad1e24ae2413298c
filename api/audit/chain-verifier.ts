/**
 * Verifies a case's stored audit chain against the case workflow's own record of it (the Query
 * `chainWitness`; Temporal answers it for ended cases too, from their history), so a database writer
 * who deletes, inserts, reorders, or edits and rehashes events is caught at the first bad seq.
 */
import { QueryNotRegisteredError, type Client } from '@temporalio/client';
import type { ChainWitness } from '../../domain/audit-hash';
import { firstBadEvent, firstBrokenLink, type ChainedEvent } from '../../store/audit-chain';
import { caseHistory, type AuditEventModel } from '../../store/audit-events';
import { chainWitnessQuery } from '../../workflows/messages';

export interface ChainVerdict {
  valid: boolean;
  /** events stored for the case */
  events: number;
  /** the first bad sequence number */
  brokenAt?: number;
  reason?: string;
  /** how many events the case workflow says are stored (absent when it could not be asked) */
  recordedSeq?: number;
  /** checked against the workflow's record (false: only the chain's own links, for a worker too old to answer) */
  witnessed: boolean;
}

export class ChainVerifier {
  constructor(
    private readonly client: Client,
    private readonly events: AuditEventModel,
  ) {}

  /** The workflow's record; undefined when the running code has no such Query (a worker not yet upgraded). */
  async witness(caseId: string): Promise<ChainWitness | undefined> {
    try {
      return await this.client.workflow.getHandle(caseId).query(chainWitnessQuery);
    } catch (err) {
      if (err instanceof QueryNotRegisteredError) return undefined;
      throw err;
    }
  }

  /** Reads the stored chain and checks it; the events read come back for further checks. */
  async verify(caseId: string): Promise<ChainVerdict & { history: ChainedEvent[] }> {
    // asked before the read: every event it calls recorded must be in the read
    const before = await this.witness(caseId);
    const history = await caseHistory(this.events, caseId);
    if (!before) return { ...verdict(history, firstBrokenLink(history)), witnessed: false, history };
    let witness = before;
    const handedThrough = before.from + before.hashes.length - 1;
    if ((history.at(-1)?.seq ?? 0) > handedThrough) {
      // events handed over after the first question were stored before the read: ask again for their hashes
      const after = await this.witness(caseId);
      if (after) witness = { ...after, recordedSeq: before.recordedSeq };
    }
    const bad = firstBadEvent(history, witness);
    return { ...verdict(history, bad), recordedSeq: witness.recordedSeq, witnessed: true, history };
  }
}

function verdict(history: ChainedEvent[], bad: { seq: number; reason: string } | undefined) {
  return bad
    ? { valid: false, events: history.length, brokenAt: bad.seq, reason: bad.reason }
    : { valid: true, events: history.length };
}
