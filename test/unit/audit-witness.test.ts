/**
 * The workflow's second record of the audit chain, as pure functions: its hash equals the store's,
 * the verifier names the first bad seq for every kind of tampering, and the anchor's Merkle root.
 */
import { eventHash, type ChainWitness } from '../../domain/audit-hash';
import type { CaseEvent } from '../../domain/case-event';
import { chain, firstBadEvent, GENESIS_HASH, hashEvent, type ChainedEvent } from '../../store/audit-chain';
import { merkleRoot } from '../../store/audit-anchors';
import { enforcement, township } from '../support/fixtures';

const event = (seq: number, data: Record<string, unknown> = {}): CaseEvent => ({
  caseId: 'case-1',
  seq,
  type: seq === 1 ? 'whistle.raised' : 'case.progress',
  at: `2026-03-02T09:0${seq % 10}:00.000Z`,
  actor: seq % 2 ? township : enforcement,
  data: { note: `进展 ${seq} 😀`, ...data },
});

function chainOf(events: CaseEvent[]): ChainedEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e) => {
    const linked = chain(e, prev);
    prev = linked.hash;
    return linked;
  });
}

const six = chainOf([1, 2, 3, 4, 5, 6].map((seq) => event(seq)));
/** What the workflow holds after recording all six. */
const witness: ChainWitness = { recordedSeq: 6, from: 1, hashes: six.map((e) => e.hash) };

describe('when the workflow hashes the events it hands over', () => {
  it('then its hash equals the store’s, for any text and with undefined fields left out as JSON does', () => {
    const e = event(3, { nested: { list: [1, 'два', { z: null }] }, gone: undefined, big: 1e21, neg: -0.5 });
    expect(eventHash(e, 'ab'.repeat(32))).toBe(hashEvent(JSON.parse(JSON.stringify(e)), 'ab'.repeat(32)));
    expect(eventHash(six[0]!, GENESIS_HASH)).toBe(six[0]!.hash);
  });
});

describe('when the stored chain is compared with the workflow’s record', () => {
  const without = (...seqs: number[]) => six.filter((e) => !seqs.includes(e.seq));

  it('then an intact chain is valid, also with a batch handed over but not yet stored', () => {
    expect(firstBadEvent(six, witness)).toBeUndefined();
    expect(firstBadEvent(six.slice(0, 4), { recordedSeq: 4, from: 1, hashes: witness.hashes })).toBeUndefined();
  });

  it('then a deleted event, a deleted tail and a case with no events left are each named at the first missing seq', () => {
    expect(firstBadEvent(without(3), witness)?.seq).toBe(3);
    expect(firstBadEvent(without(5, 6), witness)).toEqual({
      seq: 5,
      reason: 'event 5 is missing: the case recorded 6',
    });
    expect(firstBadEvent([], witness)?.seq).toBe(1);
  });

  it('then an inserted event, even well chained, is named: the case never recorded it', () => {
    const forged = chain(event(7), six[5]!.hash);
    expect(firstBadEvent([...six, forged], witness)).toEqual({
      seq: 7,
      reason: 'event 7 was never recorded by the case',
    });
    expect(firstBadEvent([...six.slice(0, 3), { ...six[3]!, data: {} }, ...six.slice(3)], witness)?.seq).toBe(4);
  });

  it('then swapped sequence numbers are named at the first of them', () => {
    const swapped = [six[0]!, { ...six[2]!, seq: 2 }, { ...six[1]!, seq: 3 }, ...six.slice(3)];
    expect(firstBadEvent(swapped, witness)?.seq).toBe(2);
  });

  it('then an event edited, and it and every later event rehashed, is named by the workflow’s hash', () => {
    const rehashed = chainOf(six.map((e) => (e.seq === 4 ? { ...e, data: { note: '改写' } } : e)));
    expect(firstBadEvent(rehashed, witness)).toEqual({
      seq: 4,
      reason: 'event 4 differs from what the case recorded (rewritten and rehashed)',
    });
  });

  it('then a run continued from one that kept no hashes still checks the carried head', () => {
    const carried: ChainWitness = { recordedSeq: 6, from: 5, hashes: witness.hashes.slice(4), before: six[3]!.hash };
    expect(firstBadEvent(six, carried)).toBeUndefined();
    const rehashed = chainOf(six.map((e) => (e.seq === 2 ? { ...e, data: { note: '改写' } } : e)));
    expect(firstBadEvent(rehashed, carried)?.seq).toBe(4);
  });
});

describe('when the heads of every chain are anchored', () => {
  const heads = [
    { caseId: 'a', seq: 3, hash: 'a'.repeat(64) },
    { caseId: 'b', seq: 9, hash: 'b'.repeat(64) },
    { caseId: 'c', seq: 1, hash: 'c'.repeat(64) },
  ];

  it('then the root does not depend on the order they are read in, and changes with any head', () => {
    expect(merkleRoot([...heads].reverse())).toBe(merkleRoot(heads));
    expect(merkleRoot(heads.map((h) => (h.caseId === 'c' ? { ...h, seq: 2 } : h)))).not.toBe(merkleRoot(heads));
    expect(merkleRoot(heads.slice(0, 2))).not.toBe(merkleRoot(heads));
    expect(merkleRoot([])).toMatch(/^[0-9a-f]{64}$/);
  });
});
