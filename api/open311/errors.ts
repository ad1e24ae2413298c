/**
 * Errors as GeoReport v2 writes them: `[{ code, description }]` / `<errors><error>…`, with the HTTP
 * status as the code. 400 names the field, 403 is the api_key, 404 what does not exist; the intake's
 * refusals (HttpProblem) keep their status. A 5xx never carries internals, only the request id.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { HttpProblem } from '../http/problem';
import { formatOfPath, send } from './format';

export interface Open311ErrorItem {
  code: number;
  description: string;
}

export class Open311Error extends Error {
  readonly items: Open311ErrorItem[];

  constructor(
    readonly status: number,
    description: string | string[],
  ) {
    const descriptions = Array.isArray(description) ? description : [description];
    super(descriptions.join('; '));
    this.items = descriptions.map((d) => ({ code: status, description: d }));
  }
}

export const badRequest = (description: string | string[]) => new Open311Error(400, description);
export const forbidden = (description: string) => new Open311Error(403, description);
export const notFound = (description: string) => new Open311Error(404, description);

/** One 400 item per bad field, each naming the field as the spec spells it. */
export function fromZod(err: ZodError): Open311Error {
  return badRequest(err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`));
}

function toOpen311(err: unknown, req: Request): Open311Error {
  if (err instanceof Open311Error) return err;
  if (err instanceof ZodError) return fromZod(err);
  if (err instanceof HttpProblem && err.status < 500) {
    // the intake names its own fields; one item keeps its bilingual message whole
    const fields = ((err.extra.errors as { field: string }[] | undefined) ?? []).map((f) => f.field);
    return new Open311Error(err.status, fields.length ? `${fields.join(', ')}: ${err.message}` : err.message);
  }
  // express' own errors: malformed JSON, body too large, unsupported charset
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new Open311Error(
      status,
      status === 413
        ? 'the request body is larger than the limit'
        : `the request body could not be read: ${(err as Error).message}`,
    );
  }
  req.log.error({ err }, 'open311 request failed');
  return new Open311Error(
    500,
    `the request failed; quote request id ${String(req.res?.getHeader('X-Request-Id'))} when reporting it / 请求失败`,
  );
}

export const open311ErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const error = toOpen311(err, req);
  send(
    res,
    formatOfPath(req.path),
    error.status,
    'errors',
    error.items.map((i) => ({ code: i.code, description: i.description })),
  );
};

/** Anything under the endpoint that no route matched, answered in the spec's error format. */
export const open311NotFound: RequestHandler = (req, _res, next) => {
  next(notFound(`no GeoReport v2 resource ${req.method} ${req.baseUrl}${req.path}; resources end in .json or .xml`));
};
