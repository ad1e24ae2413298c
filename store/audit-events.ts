/** Audit events, one document per event, keyed `${caseId}:${seq}` so a retried write can never duplicate. */
import { Schema, type Connection, type Model } from 'mongoose';
import type { CaseEvent } from '../domain/case-event';
import { chain, GENESIS_HASH, type ChainedEvent } from './audit-chain';
import { isDuplicateKey } from './connection';

export interface AuditEventDoc extends ChainedEvent {
  _id: string;
}

const schema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    at: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, minimize: false, collection: 'audit_events' },
);

export type AuditEventModel = Model<AuditEventDoc>;

export function auditEventModel(connection: Connection): AuditEventModel {
  return (
    (connection.models.AuditEvent as AuditEventModel | undefined) ??
    connection.model<AuditEventDoc>('AuditEvent', schema)
  );
}

const eventId = (caseId: string, seq: number) => `${caseId}:${seq}`;

/**
 * Appends events (in seq order) to their case's chain and returns the hash of the last one.
 * `prevHash` is the hash the caller got back from the previous batch (saves a read). A retry after
 * a partial write falls back to one event at a time, linking on from what is stored: never twice,
 * never a gap.
 */
export async function appendEvents(model: AuditEventModel, events: CaseEvent[], prevHash?: string): Promise<string> {
  const docs = chainedDocs(events, prevHash ?? (await hashBefore(model, events[0]!)));
  try {
    await model.insertMany(docs, { ordered: true });
    return docs.at(-1)!.hash;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return appendOneByOne(model, events);
  }
}

/** The stored documents of events (in seq order) linked on from `prevHash`. */
export function chainedDocs(events: CaseEvent[], prevHash: string): AuditEventDoc[] {
  let link = prevHash;
  return events.map((event) => {
    const doc = chain(event, link);
    link = doc.hash;
    return { _id: eventId(event.caseId, event.seq), ...doc };
  });
}

async function appendOneByOne(model: AuditEventModel, events: CaseEvent[]): Promise<string> {
  let prevHash: string | undefined;
  for (const event of events) {
    prevHash ??= await hashBefore(model, event);
    const doc = chain(event, prevHash);
    try {
      await model.create({ _id: eventId(event.caseId, event.seq), ...doc });
      prevHash = doc.hash;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      prevHash = await storedHash(model, event.caseId, event.seq);
    }
  }
  return prevHash!;
}

async function hashBefore(model: AuditEventModel, event: CaseEvent): Promise<string> {
  return event.seq === 1 ? GENESIS_HASH : storedHash(model, event.caseId, event.seq - 1);
}

async function storedHash(model: AuditEventModel, caseId: string, seq: number): Promise<string> {
  const found = await model.findById(eventId(caseId, seq), { hash: 1 }).lean();
  // Not stored yet means events were handed over out of order: fail so the activity retries.
  if (!found) throw new Error(`audit event ${eventId(caseId, seq)} is not stored yet`);
  return found.hash;
}

/**
 * A case's events in order: one equality query on the indexed `caseId` (FerretDB pushes the filter
 * down to an index; it would sort in Go, so the sort by `seq` is done here). Every stored event is
 * returned, a gap included: the chain's verification is what notices a missing event.
 */
export async function caseHistory(model: AuditEventModel, caseId: string): Promise<ChainedEvent[]> {
  const docs = await model.find({ caseId }).lean();
  return docs.sort((a, b) => a.seq - b.seq).map(({ _id, ...event }) => event);
}
