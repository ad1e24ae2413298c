/**
 * Hands recorded events to the notification activity, in order, in its own loop: recording never
 * waits on a webhook. A range that still fails after the activity's retries stays pending in the
 * outbox with its error, and the next call starts from it again, so one dead receiver delays its
 * own notifications only.
 */
import { condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Journal } from './journal';

const { deliverNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // a worker killed mid-delivery is noticed by the missing heartbeat, and another takes over
  heartbeatTimeout: '15 seconds',
  // about an hour of attempts; then the entries wait for the case's next event
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

export class Courier {
  private handedThrough: number;

  constructor(
    private readonly caseId: string,
    private readonly journal: Pick<Journal, 'recordedThrough' | 'batchesBetween' | 'courierBatchesBetween'>,
    /** the oldest event whose notifications may still be pending */
    private undeliveredFrom: number,
    /**
     * called only for batches with webhook entries (the recording delivered the log channel's);
     * cases started before that call it for every batch
     */
    private readonly webhooksOnly = false,
  ) {
    this.handedThrough = undeliveredFrom - 1;
  }

  private recordedThrough(): number {
    return this.journal.recordedThrough();
  }

  /** Runs until `finished` and every recorded event has been handed over. */
  async run(finished: () => boolean): Promise<void> {
    for (;;) {
      await condition(() => this.recordedThrough() > this.handedThrough || finished());
      const toSeq = this.recordedThrough();
      if (toSeq <= this.handedThrough) return;
      const batches = this.webhooksOnly
        ? this.journal.courierBatchesBetween(this.undeliveredFrom, toSeq)
        : this.journal.batchesBetween(this.undeliveredFrom, toSeq);
      if (this.webhooksOnly && batches?.length === 0) {
        // every notification of the range went out as the batch was recorded
        this.undeliveredFrom = toSeq + 1;
        this.handedThrough = toSeq;
        continue;
      }
      try {
        await deliverNotifications({
          caseId: this.caseId,
          fromSeq: this.undeliveredFrom,
          toSeq,
          ...(batches ? { batches } : {}),
        });
        this.undeliveredFrom = toSeq + 1;
      } catch {
        // kept pending in the outbox, with the receiver's error; retried with the next range
      }
      this.handedThrough = toSeq;
    }
  }

  /** Every recorded event handed over, no delivery running. */
  idle(): boolean {
    return this.handedThrough === this.recordedThrough();
  }

  /** Where a run continued as new picks up. */
  position(): number {
    return this.undeliveredFrom;
  }
}
