/**
 * The notification outbox (collection `notifications`): one entry per case event and receiver,
 * keyed `${caseId}:${seq}:${receiver}`, written in the same activity as the audit record (after it),
 * so a recorded event is never left without its notifications and a retried batch never doubles
 * them. The entries of one recorded batch live in one document, read and written by `_id`; a
 * delivered batch stays, with its delivery record (each entry's channel, attempts and time), and a
 * case's notifications are found by the indexed `caseId`.
 * The receivers are fixed when the batch is recorded: a department reassigned away since still gets
 * what was meant for it.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './connection';
import type { Actor } from '../domain/identity';
import type { CaseEvent } from '../domain/case-event';
import { notificationEventId, notificationId, recipientsOf, type Receiver } from '../domain/notifications';
import type { SystemActor, WhistleCase } from '../domain/case/shape';

export type Channel = 'webhook' | 'log';

/** The JSON body a receiver gets (and the log channel logs). */
export interface NotificationPayload {
  /** `${caseId}:${seq}`: the same on every retry, for the receiver to de-duplicate on */
  eventId: string;
  type: string;
  at: string;
  caseId: string;
  seq: number;
  receiver: Receiver;
  actor: Actor | SystemActor;
  data: Record<string, unknown>;
  /** the case as recorded with the event's batch */
  case: {
    caseId: string;
    caseNumber?: string;
    title: string;
    status: string;
    urgency: string;
    townshipId: string;
    matterCode?: string;
  };
}

export interface NotificationDoc {
  _id: string;
  kind: 'delivery';
  eventId: string;
  caseId: string;
  seq: number;
  receiver: string;
  payload: NotificationPayload;
  status: 'pending' | 'delivered';
  attempts: number;
  createdAt: string;
  /** the channel it went out on, set when delivered (configuration is read at delivery time) */
  channel?: Channel;
  lastError?: string;
  deliveredAt?: string;
}

/**
 * One document per recorded batch (`_id = caseId:firstSeq`) holding every entry of its events: the
 * hot path writes once per batch on enqueue and once per batch on delivery, not once per event and
 * receiver.
 */
export interface BatchDoc {
  _id: string;
  kind: 'batch';
  caseId: string;
  firstSeq: number;
  lastSeq: number;
  entries: NotificationDoc[];
  /** set once every entry is delivered */
  deliveredAt?: string;
}

const schema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['batch'] },
    caseId: { type: String, required: true, index: true },
    firstSeq: { type: Number, required: true },
    lastSeq: { type: Number, required: true },
    entries: Schema.Types.Mixed,
    deliveredAt: String,
  },
  { versionKey: false, minimize: false, collection: 'notifications' },
);

export type OutboxModel = Model<BatchDoc>;

export function outboxModel(connection: Connection): OutboxModel {
  return (
    (connection.models.Notification as OutboxModel | undefined) ??
    connection.model<BatchDoc>('Notification', schema as unknown as Schema<BatchDoc>)
  );
}

const batchId = (caseId: string, firstSeq: number) => `${caseId}:${firstSeq}`;

function payloadOf(event: CaseEvent, c: WhistleCase, receiver: Receiver): NotificationPayload {
  return {
    eventId: notificationEventId(event.caseId, event.seq),
    type: event.type,
    at: event.at,
    caseId: event.caseId,
    seq: event.seq,
    receiver,
    actor: event.actor,
    data: event.data,
    case: {
      caseId: c.caseId,
      ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
      title: c.title,
      status: c.status,
      urgency: c.urgency,
      townshipId: c.location.townshipId,
      ...(c.routing.matter ? { matterCode: c.routing.matter.code } : {}),
    },
  };
}

/** The outbox entries of a batch: one per event and receiver, keyed caseId:seq:receiver. */
export function outboxDocs(events: CaseEvent[], projection: WhistleCase, now: Date): NotificationDoc[] {
  return events.flatMap((event) =>
    recipientsOf(event, projection).map((receiver): NotificationDoc => ({
      _id: notificationId(event.caseId, event.seq, receiver.id),
      kind: 'delivery',
      eventId: notificationEventId(event.caseId, event.seq),
      caseId: event.caseId,
      seq: event.seq,
      receiver: receiver.id,
      payload: payloadOf(event, projection, receiver),
      status: 'pending',
      attempts: 0,
      createdAt: now.toISOString(),
    })),
  );
}

/** The outbox document of a recorded batch; none when its events notify nobody. */
export function batchDoc(events: CaseEvent[], projection: WhistleCase, now: Date): BatchDoc | undefined {
  const entries = outboxDocs(events, projection, now);
  if (entries.length === 0) return undefined;
  const first = events[0]!;
  return {
    _id: batchId(first.caseId, first.seq),
    kind: 'batch',
    caseId: first.caseId,
    firstSeq: first.seq,
    lastSeq: events.at(-1)!.seq,
    entries,
  };
}

/**
 * Puts the batch in the outbox as one document. A retried batch has the same first event, so its
 * insert meets the duplicate key and changes nothing (nor resets what was delivered).
 */
export async function enqueue(
  model: OutboxModel,
  events: CaseEvent[],
  projection: WhistleCase,
  now = new Date(),
): Promise<void> {
  const batch = batchDoc(events, projection, now);
  if (batch) await enqueueBatch(model, batch);
}

/** Puts a batch document in the outbox; a retried batch meets the duplicate key and changes nothing. */
export async function enqueueBatch(model: OutboxModel, batch: BatchDoc): Promise<void> {
  try {
    await model.create(batch);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * The batches holding events `fromSeq`..`toSeq`, read by `_id` only: by their first events when the
 * caller knows them (the workflow does), else by probing each event of the range.
 */
export async function outboxBatches(
  model: OutboxModel,
  caseId: string,
  fromSeq: number,
  toSeq: number,
  firstSeqs?: number[],
): Promise<BatchDoc[]> {
  const starts = firstSeqs ?? Array.from({ length: Math.max(0, toSeq - fromSeq + 1) }, (_, i) => fromSeq + i);
  const docs = await Promise.all(starts.map((seq) => model.findById(batchId(caseId, seq)).lean()));
  return (docs.filter((d) => d?.kind === 'batch') as BatchDoc[]).sort((a, b) => a.firstSeq - b.firstSeq);
}

/**
 * One write per batch after a delivery attempt: the entries with their channels, attempts and errors;
 * a batch delivered to everyone is marked so (and kept, as the record of its deliveries).
 */
export async function settle(model: OutboxModel, batch: BatchDoc, now = new Date()): Promise<'delivered' | 'pending'> {
  if (batch.entries.every((e) => e.status === 'delivered')) {
    batch.deliveredAt = now.toISOString();
    await model.updateOne({ _id: batch._id }, { $set: { entries: batch.entries, deliveredAt: batch.deliveredAt } });
    return 'delivered';
  }
  await model.updateOne({ _id: batch._id }, { $set: { entries: batch.entries } });
  return 'pending';
}
