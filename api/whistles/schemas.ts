/** Request shapes of the whistle endpoints: the one source of truth for validation (and, later, OpenAPI). */
import { z } from 'zod';
import { URGENCIES } from '../../domain/whistle';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'only letters, digits and . _ : - are allowed');

export const RaiseWhistleBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5000),
  urgency: z.enum(URGENCIES),
  location: z.strictObject({
    townshipId: id,
    gridId: id.optional(),
    address: z.string().trim().min(1).max(500),
  }),
  departmentIds: z.array(id).min(1, 'call at least one department').max(20),
});
export type RaiseWhistleBody = z.infer<typeof RaiseWhistleBody>;

/** Acknowledging carries no payload; anything sent is rejected rather than silently dropped. */
export const AcknowledgeBody = z.strictObject({});

export const CaseIdParam = z.strictObject({ id });
