import type { Request } from 'express';
import { HttpProblem } from './problem';

/** The `Idempotency-Key` header, if sent: 1–200 visible ASCII characters. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new HttpProblem(400, 'Bad Request', 'Idempotency-Key must be 1–200 visible ASCII characters', {
      errors: [{ field: 'Idempotency-Key', reason: 'invalid format' }],
    });
  }
  return key;
}

/**
 * For creates whose id the client chooses: a retry with an Idempotency-Key that finds the same
 * item already there is answered as the first request was, not as a conflict.
 */
export function isIdempotentRetry(req: Request, existing: unknown, sent: unknown): boolean {
  return idempotencyKey(req) !== undefined && JSON.stringify(canonical(existing)) === JSON.stringify(canonical(sent));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
