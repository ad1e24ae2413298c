/**
 * The lines of GET /api/v1/audit/verify (NDJSON, one JSON object a line), for the OpenAPI document:
 * `start`, then one `case` (or `error`) per case as it is checked, then `anchor` and `summary`.
 */
import { z } from 'zod';
import { ChainCheckView } from '../whistles/views';

const Start = z.object({ kind: z.literal('start'), cases: z.number().int() });
const CaseLine = ChainCheckView.extend({ kind: z.literal('case'), caseId: z.string() });
const ErrorLine = z.object({ kind: z.literal('error'), caseId: z.string(), reason: z.string() });
const AnchorLine = z.object({
  kind: z.literal('anchor'),
  /** false: no anchor has been made yet */
  found: z.boolean(),
  anchorId: z.string().optional(),
  at: z.string().optional(),
  /** the Merkle root over every case's chain head, as the anchoring workflow's result holds it */
  root: z.string().optional(),
  cases: z.number().int().optional(),
  valid: z.boolean().optional(),
  reason: z.string().optional(),
  mismatches: z.array(z.object({ caseId: z.string(), seq: z.number().int(), reason: z.string() })).optional(),
});
const Summary = z.object({
  kind: z.literal('summary'),
  cases: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  failed: z.number().int(),
  anchorValid: z.boolean().optional(),
});

export const AuditVerifyLine = z
  .discriminatedUnion('kind', [Start, CaseLine, ErrorLine, AnchorLine, Summary])
  .meta({ id: 'AuditVerifyLine', description: 'one line of the NDJSON stream' });
