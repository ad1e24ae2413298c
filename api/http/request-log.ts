/**
 * One log line per request (pino-http) with its request id, and nothing in it that would let a
 * reader act as the caller: a few named headers only (never Authorization or Cookie), the URL with
 * its secret query parameters (an Open311 api_key) masked, no query object, no body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { redactUrl, type Logger } from '../../platform/logger';

/** The request headers a log line keeps: enough to tell clients and requests apart. */
const LOGGED_REQUEST_HEADERS = ['user-agent', 'content-type', 'content-length', 'x-request-id', 'idempotency-key'];
const LOGGED_RESPONSE_HEADERS = ['content-type', 'content-length'];

function pick(headers: Record<string, unknown> | undefined, names: string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const name of names) if (headers?.[name] !== undefined) kept[name] = headers[name];
  return kept;
}

/** What pino's standard request serializer hands on (the raw request stays out of the log). */
interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  headers: Record<string, unknown>;
  remoteAddress?: string;
}

interface SerializedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
}

export const requestLogSerializers = {
  req: (req: SerializedRequest) => ({
    id: req.id,
    method: req.method,
    url: redactUrl(req.url ?? ''),
    headers: pick(req.headers, LOGGED_REQUEST_HEADERS),
    remoteAddress: req.remoteAddress,
  }),
  res: (res: SerializedResponse) => ({
    statusCode: res.statusCode,
    headers: pick(res.headers, LOGGED_RESPONSE_HEADERS),
  }),
};

export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    serializers: requestLogSerializers,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
  });
}
