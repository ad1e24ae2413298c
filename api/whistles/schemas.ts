/** Request shapes of the whistle endpoints: the one source of truth for validation (and, later, OpenAPI). */
import { z } from 'zod';
import { Id } from '../../domain/names';
import { MatterCode } from '../../domain/responsibility-list/schemas';
import {
  CASE_STATUSES,
  DIRECTIONS,
  EVIDENCE_KINDS,
  RULING_DECISIONS,
  TOWNSHIP_TASKS,
  URGENCIES,
} from '../../domain/case/enums';

export const RaiseWhistleBody = z
  .strictObject({
    matterCode: MatterCode.optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(5000),
    urgency: z.enum(URGENCIES),
    location: z.strictObject({
      townshipId: Id,
      gridId: Id.optional(),
      address: z.string().trim().min(1).max(500),
      coordinates: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
    }),
    departmentIds: z.array(Id).min(1, 'leave departmentIds out, or name at least one').max(20).optional(),
    evidence: z
      .array(z.lazy(() => EvidenceBody))
      .max(50)
      .optional(),
    /** `to_township`: a department whistles for a township module's help (部门吹哨、乡镇报到) */
    direction: z.enum(DIRECTIONS).optional(),
    /** a reverse whistle: the township module asked to assist */
    assistModule: Id.optional(),
    /** a reverse whistle: what the township is asked to do, within its role on the matter */
    assistTasks: z
      .array(z.enum(TOWNSHIP_TASKS))
      .min(1)
      .max(TOWNSHIP_TASKS.length)
      .refine((tasks) => new Set(tasks).size === tasks.length, 'a task is named twice')
      .optional(),
  })
  .superRefine((w, ctx) => {
    const reverse = w.direction === 'to_township';
    for (const [field, zh] of [
      ['assistModule', '请指定协助的乡镇模块'],
      ['assistTasks', '请说明请乡镇协助的事项'],
    ] as const) {
      if (reverse && w[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `a reverse whistle names ${field === 'assistModule' ? 'the township module asked to assist' : 'what the township is asked to do'} / ${zh}`,
        });
      if (!reverse && w[field] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is named on a reverse whistle (direction to_township) only / 仅部门吹哨可请乡镇协助`,
        });
    }
  });
export type RaiseWhistleBody = z.infer<typeof RaiseWhistleBody>;

/** Acknowledging carries no payload; anything sent is rejected rather than silently dropped. */
export const AcknowledgeBody = z.strictObject({});

export const CaseIdParam = z.strictObject({ id: Id });

const isoInstant = z.iso.datetime({ offset: true });

/** Filters of the case list; every value validated before it reaches a query. */
export const CaseListQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  townshipId: Id.optional(),
  departmentId: Id.optional(),
  matterCode: MatterCode.optional(),
  urgency: z.enum(URGENCIES).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** An export takes the list's filters (and names its format: CSV, for spreadsheets). */
export const ExportQuery = CaseListQuery.omit({ page: true, pageSize: true }).extend({
  format: z.literal('csv').default('csv'),
});

/** Evidence fixed at the scene (固定证据): where it is and its content hash, so it cannot be swapped. */
export const EvidenceBody = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  uri: z.url({ protocol: /^https?$/ }).max(2000),
  sha256: z.string().regex(/^[a-f0-9]{64}$/, 'the SHA-256 of the file, 64 lowercase hex digits'),
  capturedAt: isoInstant.optional(),
});

export const ProgressBody = z.strictObject({
  note: z.string().trim().min(1).max(5000),
  evidence: z.array(EvidenceBody).max(50).default([]),
});

export const ResolveBody = z.strictObject({
  summary: z.string().trim().min(1).max(5000),
  evidence: z.array(EvidenceBody).max(50).default([]),
});

export const VerifyBody = z
  .strictObject({
    accept: z.boolean(),
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((v) => v.accept || v.reason !== undefined, {
    path: ['reason'],
    message: 'say why the result is sent back / 请说明退回理由',
  });

/** The dispatch desk names the matter (and may narrow the co-operating departments). */
export const ClassifyBody = z.strictObject({
  matterCode: MatterCode,
  departmentIds: z.array(Id).min(1).max(20).optional(),
});

const score = z.number().int().min(1).max(5);

/** The township sends `ratings` (one per called department); a department sends `cooperation`. */
export const EvaluateBody = z
  .strictObject({
    ratings: z
      .array(
        z.strictObject({
          departmentId: Id,
          speed: score,
          attitude: score,
          result: score,
          comment: z.string().trim().max(2000).optional(),
        }),
      )
      .min(1)
      .max(20)
      .optional(),
    cooperation: score.optional(),
    comment: z.string().trim().max(2000).optional(),
  })
  .refine((b) => (b.ratings === undefined) !== (b.cooperation === undefined), {
    path: ['ratings'],
    message: 'send ratings (township) or cooperation (department), not both / 乡镇评部门，部门评乡镇',
  });

const reason = z.string().trim().min(1).max(2000);

export const DeclineBody = z.strictObject({
  reason,
  suggestedDepartmentId: Id.optional(),
});

export const ArbitrationBody = z.strictObject({
  departmentId: Id,
  decision: z.enum(RULING_DECISIONS),
  note: reason,
  reassignTo: Id.optional(),
  listChange: z
    .strictObject({
      matterCode: MatterCode,
      leadDepartmentId: Id.optional(),
      cooperatingDepartmentIds: z.array(Id).max(20).optional(),
      townshipTasks: z.array(z.enum(TOWNSHIP_TASKS)).max(TOWNSHIP_TASKS.length).optional(),
      note: reason,
    })
    .optional(),
});
// an upheld decline names the department to take the duty over, but an upheld decline of the
// township assisting a reverse whistle names none (the lead department carries it): the rule
// (domain/dispute.ts) knows which it is, and answers 422

export const SuspendBody = z.strictObject({ reason });
export const SuspensionDecisionBody = z.strictObject({
  departmentId: Id,
  approve: z.boolean().default(true),
  note: reason.optional(),
});
export const ResumeBody = z.strictObject({ departmentId: Id.optional() });
export const WithdrawBody = z.strictObject({ reason });
export const MergeBody = z.strictObject({ intoCaseId: Id });
export const ReinspectionBody = z.strictObject({ recurred: z.boolean(), note: reason });
export const RemindBody = z.strictObject({ departmentId: Id, note: reason.optional() });
export const ReturnBody = z.strictObject({ reason });
/** The desk names the right matter, as when it classifies, and says why the first routing was wrong. */
export const RerouteBody = z.strictObject({
  matterCode: MatterCode,
  departmentIds: z.array(Id).min(1).max(20).optional(),
  reason,
});
