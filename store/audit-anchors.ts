/**
 * Anchors of every case's chain head: a Merkle root over each case's last stored `{ caseId, seq,
 * hash }`, computed on a Temporal Schedule. The root lives in the anchoring workflow's result (Temporal
 * history, out of a database writer's reach); this collection keeps the leaves for reading.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditEventModel } from './audit-events';

export interface ChainHead {
  caseId: string;
  seq: number;
  hash: string;
}

export interface AnchorDoc {
  /** the anchoring workflow's id */
  _id: string;
  runId: string;
  at: string;
  root: string;
  cases: number;
  /** every case's head at `at`, by caseId */
  leaves: ChainHead[];
}

const schema = new Schema<AnchorDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    at: { type: String, required: true },
    root: { type: String, required: true },
    cases: { type: Number, required: true },
    leaves: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, minimize: false, collection: 'audit_anchors' },
);

export type AnchorModel = Model<AnchorDoc>;

export function anchorModel(connection: Connection): AnchorModel {
  return (
    (connection.models.AuditAnchor as AnchorModel | undefined) ?? connection.model<AnchorDoc>('AuditAnchor', schema)
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The Merkle root of the heads, sorted by caseId; leaves and nodes are domain-separated, an odd node moves up. */
export function merkleRoot(heads: ChainHead[]): string {
  let level = [...heads]
    .sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
    .map(({ caseId, seq, hash }) => sha256(`leaf:${canonicalize({ caseId, seq, hash })}`));
  if (level.length === 0) return sha256('empty');
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? sha256(`node:${level[i]}${level[i + 1]}`) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** Every case's last stored event, as the database holds it now (one pass over the events). */
export async function chainHeads(events: AuditEventModel): Promise<ChainHead[]> {
  const heads = new Map<string, ChainHead>();
  for await (const e of events.find({}, { caseId: 1, seq: 1, hash: 1 }).lean().cursor()) {
    const head = heads.get(e.caseId);
    if (!head || e.seq > head.seq) heads.set(e.caseId, { caseId: e.caseId, seq: e.seq, hash: e.hash });
  }
  return [...heads.values()].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
}
