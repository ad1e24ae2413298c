/**
 * The tamper-evident chain: each audit event carries the hash of the event before it and its own
 * SHA-256 over a canonical JSON form (RFC 8785), so rewriting any stored event breaks every later link.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { CaseEvent } from '../domain/case-event';

export const GENESIS_HASH = '0'.repeat(64);

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
