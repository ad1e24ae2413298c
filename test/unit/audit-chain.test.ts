import type { CaseEvent } from '../../domain/case-event';
import { chain, firstBrokenLink, GENESIS_HASH, hashEvent, type ChainedEvent } from '../../store/audit-chain';
import { enforcement, township } from '../support/fixtures';

function chainOf(events: CaseEvent[]): ChainedEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e) => {
    const linked = chain(e, prev);
    prev = linked.hash;
    return linked;
  });
}

const events: CaseEvent[] = [
  {
    caseId: 'c',
    seq: 1,
    type: 'whistle.raised',
    at: '2026-03-02T09:00:00.000Z',
    actor: township,
    data: { title: '违法建设' },
  },
  {
    caseId: 'c',
    seq: 2,
    type: 'duty.acknowledged',
    at: '2026-03-02T09:10:00.000Z',
    actor: enforcement,
    data: { departmentId: 'dept-enforcement' },
  },
  {
    caseId: 'c',
    seq: 3,
    type: 'duty.overdue',
    at: '2026-03-02T11:00:00.000Z',
    actor: { accountId: 'system', role: 'system' },
    data: { departmentId: 'dept-planning' },
  },
];

describe('when events are chained', () => {
  it('then an intact chain verifies and the hash does not depend on key order', () => {
    expect(firstBrokenLink(chainOf(events))).toBeUndefined();
    const reordered = {
      data: events[0]!.data,
      actor: events[0]!.actor,
      at: events[0]!.at,
      type: events[0]!.type,
      seq: 1,
      caseId: 'c',
    };
    expect(hashEvent(reordered, GENESIS_HASH)).toBe(hashEvent(events[0]!, GENESIS_HASH));
  });

  it('then rewriting an event names that event', () => {
    const tampered = chainOf(events);
    tampered[1] = { ...tampered[1]!, at: '2026-03-02T09:05:00.000Z' };
    expect(firstBrokenLink(tampered)).toEqual({ seq: 2, reason: 'content does not match its hash' });
  });

  it('then rehashing a rewritten event breaks the next link, and a deleted event is named missing', () => {
    const rehashed = chainOf(events);
    rehashed[1] = chain({ ...events[1]!, data: { departmentId: 'dept-other' } }, rehashed[0]!.hash);
    expect(firstBrokenLink(rehashed)).toEqual({ seq: 3, reason: 'prevHash does not match the previous event' });
    const gap = chainOf(events).filter((e) => e.seq !== 2);
    expect(firstBrokenLink(gap)).toEqual({ seq: 2, reason: 'event 2 is missing' });
  });
});
