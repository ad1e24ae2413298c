/**
 * The case's audit journal inside the workflow. Events get their sequence number here, at the
 * moment of the state change, and a single drain loop hands them to the recording activity in
 * order, batched: the hash chain needs strict order, and one activity per batch keeps the hot
 * path lean. Activities retry without limit, so an appended event is never lost.
 */
import { condition } from '@temporalio/workflow';
import type { Actor } from '../domain/identity';
import type { CaseEvent, CaseEventType } from '../domain/case-event';
import type { RecordCaseEvents } from '../activities/journal';
import type { SystemActor, WhistleCase } from '../domain/case/shape';

/** Where the chain stands: what a run continued as new needs to link on without a gap. */
export interface JournalPosition {
  nextSeq: number;
  lastHash?: string;
  /** the oldest event whose notifications may still be pending */
  notifyFrom?: number;
}

export class Journal {
  private pending: CaseEvent[] = [];
  private nextSeq: number;
  private recordedSeq: number;
  private lastHash: string | undefined;
  private closed = false;
  /** the first event of each batch recorded by this run, in order */
  private readonly batchStarts: number[] = [];

  constructor(
    private readonly caseId: string,
    private readonly snapshot: () => WhistleCase,
    private readonly record: RecordCaseEvents,
    from: JournalPosition = { nextSeq: 1 },
  ) {
    this.nextSeq = from.nextSeq;
    this.recordedSeq = from.nextSeq - 1;
    this.lastHash = from.lastHash;
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
      this.lastHash = await this.record({ events, projection: this.snapshot(), prevHash: this.lastHash });
      this.batchStarts.push(events[0]!.seq);
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
