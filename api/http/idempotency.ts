import type { Request } from 'express';
import { HttpProblem } from './problem';

/** The `Idempotency-Key` header, if sent: 1–200 visible ASCII characters. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new HttpProblem(400, 'Bad Request', 'Idempotency-Key must be 1–200 visible ASCII characters', { errors: [{ field: 'Idempotency-Key', reason: 'invalid format' }] });
  }
  return key;
}
