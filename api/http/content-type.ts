import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

/** A body must come as JSON (or CSV where a path takes it): anything else is 415, before parsing. */
export function requireContentType(csvPaths: readonly RegExp[]): RequestHandler {
  return (req, res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const csvAllowed = csvPaths.some((p) => p.test(req.path));
    if (!hasBody || req.is('application/json') || (csvAllowed && req.is('text/csv'))) return next();
    const accepted = csvAllowed ? 'application/json or text/csv' : 'application/json';
    sendProblem(
      res,
      415,
      'Unsupported Media Type',
      `send the body as ${accepted}, not ${req.headers['content-type'] ?? 'no type'}`,
    );
  };
}
