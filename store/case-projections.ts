/**
 * The case projection: one document per case for lists and statistics, rewritten from the
 * workflow's state after each recorded batch. `lastSeq` orders the writes, so a late retry of an
 * older batch does not overwrite a newer state.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { reassignments } from '../domain/dispute';
import { isOverdue } from '../domain/clocks';
import { isDuplicateKey } from './connection';
import type { WhistleCase } from '../domain/case/shape';

export interface CaseProjectionDoc extends WhistleCase {
  _id: string;
  lastSeq: number;
  townshipId: string;
  departmentIds: string[];
  /** the responsibility-list matter, null while at the dispatch desk */
  matterCode: string | null;
  /** counted for matter usage; kept by the dispute steps */
  disputeCount: number;
  reassignCount: number;
  overdue: boolean;
  updatedAt: string;
}

const schema = new Schema<CaseProjectionDoc>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    lastSeq: { type: Number, required: true },
    title: String,
    description: String,
    urgency: { type: String, index: true },
    status: { type: String, index: true },
    location: { type: Schema.Types.Mixed },
    townshipId: { type: String, index: true },
    departmentIds: { type: [String], index: true },
    matterCode: { type: String, index: true },
    disputeCount: { type: Number, default: 0 },
    reassignCount: { type: Number, default: 0 },
    routing: { type: Schema.Types.Mixed },
    duties: { type: Schema.Types.Mixed },
    raisedBy: { type: Schema.Types.Mixed },
    raisedAt: { type: String, index: true },
    overdue: { type: Boolean, index: true },
    updatedAt: String,
    // what lists and statistics read of each phase: kept as the case holds it
    caseNumber: String,
    direction: String,
    dispatch: { type: Schema.Types.Mixed },
    plan: { type: Schema.Types.Mixed },
    resolution: { type: Schema.Types.Mixed },
    verifications: { type: Schema.Types.Mixed },
    evaluation: { type: Schema.Types.Mixed },
    disputes: { type: Schema.Types.Mixed },
    releasedDuties: { type: Schema.Types.Mixed },
    withdrawal: { type: Schema.Types.Mixed },
    mergedInto: { type: Schema.Types.Mixed },
    reinspection: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false, collection: 'cases' },
);

export type CaseProjectionModel = Model<CaseProjectionDoc>;

export function caseProjectionModel(connection: Connection): CaseProjectionModel {
  return (
    (connection.models.CaseProjection as CaseProjectionModel | undefined) ??
    connection.model<CaseProjectionDoc>('CaseProjection', schema)
  );
}

export async function saveProjection(
  model: CaseProjectionModel,
  c: WhistleCase,
  lastSeq: number,
  at: string,
): Promise<void> {
  const doc: Omit<CaseProjectionDoc, '_id'> = {
    ...c,
    lastSeq,
    townshipId: c.location.townshipId,
    // the departments in scope: those called now, those released from it, and a reverse whistle's raiser
    departmentIds: [
      ...new Set(
        [...c.duties, ...(c.releasedDuties ?? [])]
          .map((d) => d.departmentId)
          .concat(c.raisedBy.role === 'department' && c.raisedBy.orgUnitId ? [c.raisedBy.orgUnitId] : []),
      ),
    ],
    matterCode: c.routing.matter?.code ?? null,
    disputeCount: (c.disputes?.length ?? 0) + c.duties.filter((d) => d.dispute).length,
    reassignCount: reassignments(c),
    overdue: isOverdue(c),
    updatedAt: at,
  };
  // Every query here is by `_id` alone: FerretDB's SQLite backend pushes down nothing else, and a
  // compound filter would scan the whole collection on every write.
  const stored = await model.findById(c.caseId, { lastSeq: 1 }).lean();
  if (stored && stored.lastSeq >= lastSeq) return; // a newer (or this) state is there already
  if (stored) {
    await model.replaceOne({ _id: c.caseId }, doc);
    return;
  }
  try {
    await model.create({ _id: c.caseId, ...doc });
  } catch (err) {
    // another attempt of the same batch inserted first: write over it only if still newer
    if (!isDuplicateKey(err)) throw err;
    await saveProjection(model, c, lastSeq, at);
  }
}
