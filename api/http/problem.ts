/**
 * Errors as `application/problem+json` (RFC 9457). Every refusal names what is wrong; a 5xx never
 * carries internals, only the request id that the log line carries too.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { isDependencyUnavailable, RETRY_AFTER_SECONDS } from './unavailable';

export interface FieldError {
  field: string;
  reason: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export function sendProblem(
  res: Response,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title,
      status,
      detail,
      instance: res.req.originalUrl,
      requestId: res.req.id,
      ...extra,
    });
}

export function fieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message }));
}

export const badRequest = (err: ZodError) => {
  const errors = fieldErrors(err);
  return new HttpProblem(400, 'Bad Request', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), { errors });
};

/** express' own errors (malformed JSON, body too large) carry `status` and `type`. */
function expressStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpProblem) return sendProblem(res, err.status, err.title, err.message, err.extra);
  if (err instanceof ZodError) {
    const p = badRequest(err);
    return sendProblem(res, p.status, p.title, p.message, p.extra);
  }
  const status = expressStatus(err);
  if (status === 400)
    return sendProblem(res, 400, 'Bad Request', `request body is not valid JSON: ${(err as Error).message}`);
  if (status === 413) return sendProblem(res, 413, 'Content Too Large', 'request body is larger than the limit');
  if (status) return sendProblem(res, status, 'Request Error', (err as Error).message);
  if (isDependencyUnavailable(err)) {
    req.log.warn({ err }, 'dependency unavailable');
    res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    return sendProblem(
      res,
      503,
      'Service Unavailable',
      'a service this request needs is unavailable; try again shortly',
    );
  }
  req.log.error({ err }, 'request failed');
  return sendProblem(res, 500, 'Internal Server Error', 'the request failed; quote the request id when reporting it');
};
