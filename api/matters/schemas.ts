/** Request and response shapes of the list endpoints. */
import { z } from 'zod';
import { ChangeReason, MatterCode, MatterFields } from '../../domain/responsibility-list/schemas';
import { ListChangeShape } from '../../domain/case/shape';
import { Id } from '../../domain/names';
import { PROPOSAL_STATUSES } from '../../store/list-proposals';
import { toZod } from '../contract/from-declaration';

export const CodeParam = z.strictObject({ code: MatterCode });
export const ChangeBody = z.strictObject({ matter: MatterFields, reason: ChangeReason });
export const RetireBody = z.strictObject({ reason: ChangeReason });
export const ExportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('json') });
export const ImportQuery = z.strictObject({ reason: ChangeReason.optional() });
export const ImportJson = z.strictObject({ reason: ChangeReason, matters: z.array(z.unknown()).min(1).max(5000) });

const Instant = z.string().meta({ format: 'date-time' });

/** A matter version as stored (history); the list endpoints add its `id` (= code). */
export const MatterVersionView = MatterFields.safeExtend({
  version: z.number().int(),
  listVersion: z.number().int(),
  effectiveFrom: Instant,
  retired: z.boolean(),
  changedBy: z.string(),
  changedAt: Instant,
  reason: z.string(),
}).meta({ id: 'MatterVersion' });

export const MatterView = MatterVersionView.safeExtend({ id: z.string() }).meta({ id: 'Matter' });

export const MatterList = z.object({ listVersion: z.number().int(), items: z.array(MatterView) });
export const MatterHistory = z.object({ code: z.string(), versions: z.array(MatterVersionView) });
export const ChangeResult = z.object({
  listVersion: z.number().int(),
  created: z.array(z.string()),
  changed: z.array(z.string()),
  retired: z.array(z.string()),
  unchanged: z.array(z.string()),
});
export const Usage = z.object({
  totals: z.object({
    matters: z.number().int(),
    used: z.number().int(),
    neverUsed: z.number().int(),
    usedShare: z.number(),
  }),
  items: z.array(
    z.object({
      code: z.string(),
      name: z.object({ zh: z.string(), en: z.string() }),
      category: z.string(),
      leadDepartmentId: z.string(),
      whistled: z.number().int(),
      disputed: z.number().int(),
      reassigned: z.number().int(),
      used: z.boolean(),
    }),
  ),
  neverUsed: z.array(z.string()),
});

/** A list correction proposed by a ruling, as the administrator's queue shows it. */
export const ProposalView = z
  .object({
    id: z.string(),
    caseId: z.string(),
    seq: z.number().int(),
    proposedAt: z.string(),
    proposedBy: z.string(),
    departmentId: z.string(),
    change: toZod(ListChangeShape),
    status: z.enum(PROPOSAL_STATUSES),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    decisionReason: z.string().optional(),
    listVersion: z.number().int().optional(),
  })
  .meta({ id: 'ListProposal' });
export const ProposalList = z.object({ items: z.array(ProposalView) });
export const ProposalQuery = z.strictObject({ status: z.enum(PROPOSAL_STATUSES).optional() });
export const ProposalIdParam = z.strictObject({ id: Id });
/** Applying or rejecting a proposal says why, like every change of the list. */
export const ProposalDecisionBody = z.strictObject({ reason: ChangeReason });
