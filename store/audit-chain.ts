/**
 * The tamper-evident chain: each audit event carries the hash of the event before it and its own
 * SHA-256 over a canonical JSON form (RFC 8785), so rewriting any stored event breaks every later link.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { ChainWitness } from '../domain/audit-hash';
import type { CaseEvent } from '../domain/case-event';

import { GENESIS_HASH } from '../domain/audit-hash';

export { GENESIS_HASH };

export interface ChainedEvent extends CaseEvent {
  prevHash: string;
  hash: string;
}

export function hashEvent(event: CaseEvent, prevHash: string): string {
  const { caseId, seq, type, at, actor, data } = event;
  return createHash('sha256').update(canonicalize({ caseId, seq, type, at, actor, data, prevHash })).digest('hex');
}

export function chain(event: CaseEvent, prevHash: string): ChainedEvent {
  return { ...event, prevHash, hash: hashEvent(event, prevHash) };
}

/** The first event whose link or own hash does not hold, or undefined when the chain is intact. */
export function firstBrokenLink(events: ChainedEvent[]): { seq: number; reason: string } | undefined {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { seq: i + 1, reason: `event ${i + 1} is missing` };
    if (e.prevHash !== prev) return { seq: e.seq, reason: 'prevHash does not match the previous event' };
    if (hashEvent(e, e.prevHash) !== e.hash) return { seq: e.seq, reason: 'content does not match its hash' };
    prev = e.hash;
  }
  return undefined;
}

/**
 * Checks a case's stored events (in seq order, as `caseHistory` reads them) against the case
 * workflow's own record of its chain and returns the first bad sequence number: a missing event (a
 * deleted one, a deleted tail, every event deleted), one stored twice, one the case never recorded
 * (inserted), a broken link (reordered), content that does not match its hash (edited), or a hash
 * that differs from the workflow's (edited and rehashed by someone who knows the algorithm).
 */
export function firstBadEvent(
  events: ChainedEvent[],
  witness: ChainWitness,
): { seq: number; reason: string } | undefined {
  const handedThrough = witness.from + witness.hashes.length - 1;
  const witnessed = (seq: number) =>
    seq >= witness.from ? witness.hashes[seq - witness.from] : seq === witness.from - 1 ? witness.before : undefined;
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const e of events) {
    if (e.seq < expected) return { seq: e.seq, reason: `event ${e.seq} is stored more than once` };
    if (e.seq > expected) return { seq: expected, reason: `event ${expected} is missing` };
    if (e.seq > handedThrough) return { seq: e.seq, reason: `event ${e.seq} was never recorded by the case` };
    if (e.prevHash !== prev) return { seq: e.seq, reason: 'prevHash does not match the previous event' };
    if (hashEvent(e, e.prevHash) !== e.hash) return { seq: e.seq, reason: 'content does not match its hash' };
    const own = witnessed(e.seq);
    if (own !== undefined && own !== e.hash)
      return {
        seq: e.seq,
        reason:
          e.seq < witness.from
            ? `event ${e.seq} differs from the hash the case carried over (rewritten at or before it)`
            : `event ${e.seq} differs from what the case recorded (rewritten and rehashed)`,
      };
    prev = e.hash;
    expected++;
  }
  if (expected <= witness.recordedSeq)
    return { seq: expected, reason: `event ${expected} is missing: the case recorded ${witness.recordedSeq}` };
  return undefined;
}
