/** Pieces every documented endpoint shares: the problem body, the error statuses, the bearer scheme. */
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string().optional(),
          line: z.number().int().optional(),
          code: z.string().optional(),
          reason: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details / 错误说明' });

const REASONS: Record<number, string> = {
  400: 'bad input: `errors` names each field',
  401: 'no token, a bad or expired token, or a disabled account',
  403: 'the role or the scope does not allow it',
  404: 'unknown id',
  405: 'method not supported on this path; see Allow',
  409: 'the case cannot take this action now',
  413: 'body too large',
  415: 'wrong content type',
  422: 'valid JSON that the rules refuse',
  429: 'rate limit; see Retry-After',
  500: 'server error; quote the request id',
  503: 'the service cannot do this now (e.g. the working calendar lacks the year)',
};

const problem = (status: number): ResponseConfig => ({
  description: REASONS[status] ?? 'error',
  content: { 'application/problem+json': { schema: Problem } },
});

/** The success response plus the error responses an authenticated endpoint can give. */
export function responses(
  success: Record<number, ResponseConfig>,
  errors: number[] = [400, 401, 403, 404, 429, 500],
): Record<number, ResponseConfig> {
  return { ...success, ...Object.fromEntries(errors.map((s) => [s, problem(s)])) };
}

export const json = (schema: z.ZodType, description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema } },
});

export const BEARER = 'bearerAuth';
export const secured = [{ [BEARER]: [] }];
