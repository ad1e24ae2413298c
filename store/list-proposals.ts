/**
 * Corrections of the responsibility list proposed by rulings (arbitration can correct the list
 * itself): one document per ruling, keyed `caseId:seq` of its audit event, so recording a batch
 * twice proposes once. The administrator applies one as a new list version, or rejects it.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { CaseEvent } from '../domain/case-event';
import type { Ruling } from '../domain/case/shape';
import { isDuplicateKey } from './connection';

export const PROPOSAL_STATUSES = ['proposed', 'applied', 'rejected'] as const;

export interface ListProposal {
  id: string;
  caseId: string;
  /** the `dispute.ruled` event that proposed it */
  seq: number;
  proposedAt: string;
  proposedBy: string;
  /** the department whose decline was ruled on */
  departmentId: string;
  change: NonNullable<Ruling['listChange']>;
  status: (typeof PROPOSAL_STATUSES)[number];
  decidedAt?: string;
  decidedBy?: string;
  decisionReason?: string;
  /** the list version an applied proposal made */
  listVersion?: number;
}

type ProposalDoc = ListProposal & { _id: string };

const schema = new Schema<ProposalDoc>(
  { _id: String, id: String, status: { type: String, index: true }, caseId: String },
  { strict: false, versionKey: false, minimize: false, collection: 'list_proposals' },
);

export type ListProposalModel = Model<ProposalDoc>;

export function listProposalModel(connection: Connection): ListProposalModel {
  return (
    (connection.models.ListProposal as ListProposalModel | undefined) ??
    connection.model<ProposalDoc>('ListProposal', schema)
  );
}

/** The proposals a batch of recorded events makes: each ruling that carries a list change. */
export async function proposeFrom(model: ListProposalModel, events: CaseEvent[]): Promise<void> {
  for (const e of events) {
    const change = e.data.listChange as Ruling['listChange'];
    if (e.type !== 'dispute.ruled' || !change) continue;
    const id = `${e.caseId}:${e.seq}`;
    const proposal: ListProposal = {
      id,
      caseId: e.caseId,
      seq: e.seq,
      proposedAt: e.at,
      proposedBy: e.actor.accountId,
      departmentId: String(e.data.departmentId),
      change,
      status: 'proposed',
    };
    try {
      await model.create({ _id: id, ...proposal });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a retried batch: proposed already
    }
  }
}

export async function proposals(model: ListProposalModel, status?: ListProposal['status']): Promise<ListProposal[]> {
  const docs = await model.find(status ? { status } : {}).lean();
  return docs.map(({ _id, ...p }) => p).sort((a, b) => a.proposedAt.localeCompare(b.proposedAt));
}

/** Records the administrator's decision; only a proposal still open is decided (false otherwise). */
export async function decide(
  model: ListProposalModel,
  id: string,
  decision: Pick<ListProposal, 'status' | 'decidedAt' | 'decidedBy' | 'decisionReason' | 'listVersion'>,
): Promise<boolean> {
  const { modifiedCount } = await model.updateOne({ _id: id, status: 'proposed' }, { $set: decision });
  return modifiedCount === 1;
}
