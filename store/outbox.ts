/**
 * The notification outbox (collection `notifications`): one entry per case event and receiver,
 * keyed `${caseId}:${seq}:${receiver}`, written in the same activity as the audit record (after it),
 * so a recorded event is never left without its notifications and a retried batch never doubles
 * them. Beside the entries, one manifest per event (keyed `${caseId}:${seq}`) lists the receivers
 * the entries were written for: delivery reads manifests and entries by `_id` only (FerretDB's
 * SQLite backend scans for any other filter), and a case that changed its parties since (a
 * department reassigned away) still gets every entry delivered.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Actor } from '../domain/identity';
import type { CaseEvent, SystemActor } from '../domain/case-event';
import { notificationEventId, notificationId, recipientsOf, type Receiver } from '../domain/notifications';
import type { WhistleCase } from '../domain/whistle';

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
  case: { caseId: string; caseNumber?: string; title: string; status: string; urgency: string; townshipId: string; matterCode?: string };
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

export interface ManifestDoc {
  _id: string;
  kind: 'event';
  caseId: string;
  seq: number;
  receivers: string[];
}

type OutboxDoc = NotificationDoc | ManifestDoc;

const schema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['delivery', 'event'] },
    eventId: String,
    caseId: { type: String, required: true },
    seq: { type: Number, required: true },
    receiver: String,
    receivers: { type: [String], default: undefined },
    channel: String,
    payload: Schema.Types.Mixed,
    status: String,
    attempts: Number,
    lastError: String,
    deliveredAt: String,
    createdAt: String,
  },
  { versionKey: false, minimize: false, collection: 'notifications' },
);

export type OutboxModel = Model<OutboxDoc>;

export function outboxModel(connection: Connection): OutboxModel {
  return (connection.models.Notification as OutboxModel | undefined) ?? connection.model<OutboxDoc>('Notification', schema as unknown as Schema<OutboxDoc>);
}

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

/** The outbox documents of a batch: per event with receivers, its manifest and one entry per receiver. */
export function outboxDocs(events: CaseEvent[], projection: WhistleCase, now: Date): OutboxDoc[] {
  return events.flatMap((event): OutboxDoc[] => {
    const receivers = recipientsOf(event, projection);
    if (receivers.length === 0) return [];
    const eventId = notificationEventId(event.caseId, event.seq);
    return [
      { _id: eventId, kind: 'event', caseId: event.caseId, seq: event.seq, receivers: receivers.map((r) => r.id) },
      ...receivers.map(
        (receiver): NotificationDoc => ({
          _id: notificationId(event.caseId, event.seq, receiver.id),
          kind: 'delivery',
          eventId,
          caseId: event.caseId,
          seq: event.seq,
          receiver: receiver.id,
          payload: payloadOf(event, projection, receiver),
          status: 'pending',
          attempts: 0,
          createdAt: now.toISOString(),
        }),
      ),
    ];
  });
}

/** Every write error of a bulk insert is a duplicate key (the document is there already). */
function onlyDuplicateKeys(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: { code?: unknown } | { code?: unknown }[] };
  const writeErrors = e.writeErrors === undefined ? [] : ([] as { code?: unknown }[]).concat(e.writeErrors);
  if (writeErrors.length === 0) return e.code === 11000;
  return writeErrors.every((w) => w.code === 11000);
}

/**
 * Inserts the batch's missing outbox documents: one unordered insert, duplicate keys ignored, so a
 * retried batch (or one partly written before a crash) never duplicates an entry nor resets a
 * delivered one.
 */
export async function enqueue(model: OutboxModel, events: CaseEvent[], projection: WhistleCase, now = new Date()): Promise<void> {
  const docs = outboxDocs(events, projection, now);
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!onlyDuplicateKeys(err)) throw err;
  }
}

/** Runs `fn` over `items`, `width` at a time, keeping their order in the result. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return results;
}

async function byId(model: OutboxModel, id: string): Promise<OutboxDoc | null> {
  return (await model.findById(id).lean()) as OutboxDoc | null;
}

/** The undelivered entries of events `fromSeq`..`toSeq` of a case, in seq order, read by `_id` only. */
export async function pendingNotifications(model: OutboxModel, caseId: string, fromSeq: number, toSeq: number): Promise<NotificationDoc[]> {
  const seqs = Array.from({ length: Math.max(0, toSeq - fromSeq + 1) }, (_, i) => fromSeq + i);
  const manifests = (await inBatches(seqs, 16, (seq) => byId(model, notificationEventId(caseId, seq)))).filter(
    (doc): doc is ManifestDoc => doc?.kind === 'event',
  );
  const ids = manifests.flatMap((m) => m.receivers.map((receiver) => notificationId(caseId, m.seq, receiver)));
  const entries = await inBatches(ids, 16, (id) => byId(model, id));
  return entries.filter((doc): doc is NotificationDoc => doc?.kind === 'delivery' && doc.status === 'pending');
}

export async function markDelivered(model: OutboxModel, id: string, channel: Channel, at: Date): Promise<void> {
  await model.updateOne({ _id: id }, { $set: { status: 'delivered', channel, deliveredAt: at.toISOString() }, $inc: { attempts: 1 } });
}

export async function markFailed(model: OutboxModel, id: string, error: string): Promise<void> {
  await model.updateOne({ _id: id }, { $set: { lastError: error.slice(0, 1000) }, $inc: { attempts: 1 } });
}
