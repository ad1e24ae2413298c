/**
 * The case's audit journal inside the workflow. Events get their sequence number here, at the
 * moment of the state change, and a single drain loop hands them to the recording activity in
 * order, batched: the hash chain needs strict order, and one activity per batch keeps the hot
 * path lean. Activities retry without limit, so an appended event is never lost.
 */
import { condition } from '@temporalio/workflow';
import { eventHash, GENESIS_HASH, type ChainWitness } from '../domain/audit-hash';
import type { Actor } from '../domain/identity';
import type { CaseEvent, CaseEventType } from '../domain/case-event';
import type { RecordCaseEvents, RecordedBatch } from '../activities/journal';
import type { SystemActor, WhistleCase } from '../domain/case/shape';

/** Where the chain stands: what a run continued as new needs to link on without a gap. */
export interface JournalPosition {
  nextSeq: number;
  lastHash?: string;
  /** the oldest event whose notifications may still be pending */
  notifyFrom?: number;
  /** the workflow's own hash of every event handed over, from seq `from` on (carried since 'carry-chain-witness') */
  witness?: { from: number; hashes: string[] };
}

export class Journal {
  private pending: CaseEvent[] = [];
  private nextSeq: number;
  private recordedSeq: number;
  private lastHash: string | undefined;
  private closed = false;
  /** the first event of each batch recorded by this run, in order */
  private readonly batchStarts: number[] = [];
  /** those of them with notifications left for the courier (webhooks) */
  private readonly courierStarts: number[] = [];
  /**
   * The second record: the workflow's own hash of every event it handed to the recording activity
   * (seqs witnessFrom, witnessFrom+1, …), chained as the store chains them. Pure computation, no
   * command: a database writer who rewrites and rehashes the stored chain cannot change it.
   */
  private readonly witnessFrom: number;
  private readonly witnessed: string[];
  private readonly witnessBefore: string | undefined;

  constructor(
    private readonly caseId: string,
    private readonly snapshot: () => WhistleCase,
    private readonly record: RecordCaseEvents,
    from: JournalPosition = { nextSeq: 1 },
  ) {
    this.nextSeq = from.nextSeq;
    this.recordedSeq = from.nextSeq - 1;
    this.lastHash = from.lastHash;
    const carried = from.witness && from.witness.from + from.witness.hashes.length === from.nextSeq;
    this.witnessFrom = carried ? from.witness!.from : from.nextSeq;
    this.witnessed = carried ? [...from.witness!.hashes] : [];
    this.witnessBefore = from.nextSeq === 1 ? undefined : from.lastHash;
  }

  /** The workflow's record of its chain, for verification (Query `chainWitness`). */
  witness(): ChainWitness {
    return {
      recordedSeq: this.recordedSeq,
      from: this.witnessFrom,
      hashes: [...this.witnessed],
      ...(this.witnessFrom > 1 && this.witnessBefore ? { before: this.witnessBefore } : {}),
    };
  }

  /** What a run continued as new carries of the witness: every hash this run knows. */
  witnessToCarry(): { from: number; hashes: string[] } {
    return { from: this.witnessFrom, hashes: [...this.witnessed] };
  }

  private witnessBatch(events: CaseEvent[]): void {
    let prev = this.witnessed.at(-1) ?? (this.witnessFrom === 1 ? GENESIS_HASH : this.witnessBefore);
    for (const event of events) {
      // a run continued from one that kept no hash and no lastHash cannot link on: witness nothing
      if (prev === undefined) return;
      prev = eventHash(event, prev);
      this.witnessed.push(prev);
    }
  }

  /** Only meaningful when idle: every event appended is recorded. */
  position(): JournalPosition {
    return { nextSeq: this.nextSeq, ...(this.lastHash ? { lastHash: this.lastHash } : {}) };
  }

  /** Appends an event for the state change just made; returns its sequence number. */
  append(type: CaseEventType, actor: Actor | SystemActor, data: Record<string, unknown>, at: Date): number {
    const seq = this.nextSeq++;
    this.pending.push({ caseId: this.caseId, seq, type, at: at.toISOString(), actor, data });
    return seq;
  }

  /** Resolves once the event `seq` (and all before it) is stored. */
  async recorded(seq: number): Promise<void> {
    await condition(() => this.recordedSeq >= seq);
  }

  /** Runs for the life of the workflow; returns once closed and empty. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => this.pending.length > 0 || this.closed);
      if (this.pending.length === 0) return;
      const events = this.pending.splice(0);
      this.witnessBatch(events);
      // a history recorded before the log channel was delivered here answers the hash alone
      const recorded: RecordedBatch | string = await this.record({
        events,
        projection: this.snapshot(),
        prevHash: this.lastHash,
      });
      this.lastHash = typeof recorded === 'string' ? recorded : recorded.lastHash;
      this.batchStarts.push(events[0]!.seq);
      if (typeof recorded === 'string' || recorded.forCourier) this.courierStarts.push(events[0]!.seq);
      this.recordedSeq = events[events.length - 1]!.seq;
    }
  }

  close(): void {
    this.closed = true;
  }

  /** The recorded batches starting in `from`..`to`; undefined if some began before this run. */
  batchesBetween(from: number, to: number): number[] | undefined {
    if (this.batchStarts.length === 0 || from < this.batchStarts[0]!) return undefined;
    return this.batchStarts.filter((seq) => seq >= from && seq <= to);
  }

  /** Of those, the batches whose notifications wait for the courier. */
  courierBatchesBetween(from: number, to: number): number[] | undefined {
    if (this.batchStarts.length === 0 || from < this.batchStarts[0]!) return undefined;
    return this.courierStarts.filter((seq) => seq >= from && seq <= to);
  }

  /** The last sequence number stored. */
  recordedThrough(): number {
    return this.recordedSeq;
  }

  /** Every event appended is stored. */
  idle(): boolean {
    return this.pending.length === 0 && this.recordedSeq === this.nextSeq - 1;
  }

  /** Closed, and nothing left to record. */
  drained(): boolean {
    return this.closed && this.idle();
  }
}
