/** Request shapes of the whistle endpoints: the one source of truth for validation (and, later, OpenAPI). */
import { z } from 'zod';
import { Id } from '../../domain/names';
import { MatterCode } from '../../domain/responsibility-list/schemas';
import { URGENCIES } from '../../domain/whistle';

export const RaiseWhistleBody = z.strictObject({
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
});
export type RaiseWhistleBody = z.infer<typeof RaiseWhistleBody>;

/** Acknowledging carries no payload; anything sent is rejected rather than silently dropped. */
export const AcknowledgeBody = z.strictObject({});

export const CaseIdParam = z.strictObject({ id: Id });

const isoInstant = z.iso.datetime({ offset: true });

/** Filters of the case list; every value validated before it reaches a query. */
export const CaseListQuery = z.strictObject({
  status: z.enum(['dispatching', 'reporting', 'in_progress']).optional(),
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
