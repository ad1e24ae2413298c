/** Request shapes of joint enforcement (联合执法): the lead's plan and an assignee's completed step. */
import { z } from 'zod';
import { type CompleteStepCommand, type PlanCommand } from '../../domain/enforcement-plan';
import { Id } from '../../domain/names';
import { LIMIT_UNITS } from '../../domain/sla';
import { EvidenceBody } from './schemas';
import { STEP_KINDS } from '../../domain/case/enums';

/** Keys appear in URLs (…/steps/:key/complete), so they stay short and URL-safe. */
const StepKey = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'a step key is 1–40 lowercase letters, digits or -, not starting with - / 步骤标识为1–40位小写字母、数字或连字符',
  );

const LimitBody = z.strictObject({
  amount: z
    .number()
    .int()
    .min(1, 'a limit is at least 1 / 时限至少为1')
    .max(365, 'a limit is at most 365 / 时限至多为365'),
  unit: z.enum(LIMIT_UNITS),
});

const AssigneeBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('department'), departmentId: Id }),
  z.strictObject({ kind: z.literal('township'), townshipId: Id, module: z.string().trim().min(1).max(100) }),
]);

const PlannedStepBody = z.strictObject({
  key: StepKey,
  title: z.string().trim().min(1).max(200),
  kind: z.enum(STEP_KINDS),
  assignee: AssigneeBody,
  limit: LimitBody,
  dependsOn: z.array(StepKey).max(30).default([]),
});

/** A new plan, or a revision (then `reason` is required: the domain rule says so, with a 409). */
export const PlanBody = z.strictObject({
  steps: z
    .array(PlannedStepBody)
    .min(1, 'a plan has at least one step / 方案至少包含一个步骤')
    .max(30, 'a plan has at most 30 steps / 方案至多30个步骤'),
  reason: z.string().trim().min(1).max(2000).optional(),
});

export const CompleteStepBody = z.strictObject({
  note: z.string().trim().min(1).max(5000),
  evidence: z.array(EvidenceBody).max(50).default([]),
});

export const StepKeyParam = z.strictObject({ id: Id, key: StepKey });

// Compile-time proof that what the schemas accept is what the domain rules take.
type Fits<T extends U, U> = T;
export type PlanBody = Fits<z.infer<typeof PlanBody>, PlanCommand>;
export type CompleteStepBody = Fits<
  z.infer<typeof CompleteStepBody> & { key: z.infer<typeof StepKey> },
  CompleteStepCommand
>;
