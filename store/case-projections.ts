/**
 * The case projection: one document per case for lists and statistics, rewritten from the
 * workflow's state after each recorded batch. `lastSeq` orders the writes, so a late retry of an
 * older batch does not overwrite a newer state.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { departmentsInScope } from '../domain/access';
import { reassignments } from '../domain/dispute';
import { forSupervision } from '../domain/queues';
import { reminderCount } from '../domain/reminder';
import { isOverdue } from '../domain/clocks';
import { isDuplicateKey } from './connection';
import { WhistleCaseShape, type WhistleCase } from '../domain/case/shape';
import { toMongooseFields } from './from-declaration';

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
  /** reminders (催办) pressed on its duties */
  reminderCount: number;
  overdue: boolean;
  /** the supervisor's queue: a decline awaits a ruling, a suspension awaits approval */
  awaitingSupervision: boolean;
  updatedAt: string;
}

/** The case as declared, plus what lists and statistics filter by, indexed. */
const schema = new Schema<CaseProjectionDoc>(
  {
    ...toMongooseFields(WhistleCaseShape.fields, ['urgency', 'status', 'raisedAt']),
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    lastSeq: { type: Number, required: true },
    townshipId: { type: String, index: true },
    departmentIds: { type: [String], index: true },
    matterCode: { type: String, index: true },
    disputeCount: { type: Number, default: 0 },
    reassignCount: { type: Number, default: 0 },
    reminderCount: { type: Number, default: 0 },
    overdue: { type: Boolean, index: true },
    awaitingSupervision: { type: Boolean, index: true },
    updatedAt: String,
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

/** The projection document of a case after event `lastSeq` (recorded at `at`), without its `_id`. */
export function projectionDoc(c: WhistleCase, lastSeq: number, at: string): Omit<CaseProjectionDoc, '_id'> {
  return {
    ...c,
    lastSeq,
    townshipId: c.location.townshipId,
    // the departments that read it (domain/access.ts): the list finds the cases they may open
    departmentIds: departmentsInScope(c),
    matterCode: c.routing.matter?.code ?? null,
    disputeCount: (c.disputes?.length ?? 0) + c.duties.filter((d) => d.dispute).length,
    reassignCount: reassignments(c),
    reminderCount: reminderCount(c),
    overdue: isOverdue(c),
    awaitingSupervision: forSupervision(c).length > 0,
    updatedAt: at,
  };
}

export async function saveProjection(
  model: CaseProjectionModel,
  c: WhistleCase,
  lastSeq: number,
  at: string,
): Promise<void> {
  const doc = projectionDoc(c, lastSeq, at);
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
