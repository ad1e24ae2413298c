/**
 * Per-account rate limits (per address before sign-in), answered as 429 problem+json with
 * Retry-After. In-memory per process; behind several API processes use a shared store.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { sendProblem } from './problem';

export function rateLimitPerMinute(limit: number, keyOf: 'account' | 'address'): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      keyOf === 'account' && req.actor ? `account:${req.actor.accountId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: (req, res, _next, options) => {
      res.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
      sendProblem(
        res,
        429,
        'Too Many Requests',
        `more than ${limit} requests a minute from this ${keyOf}; retry after the time in Retry-After / 请求过于频繁`,
      );
    },
  });
}
