/**
 * A NUL character (U+0000) is valid JSON but cannot be stored: PostgreSQL's jsonb, under FerretDB,
 * refuses it, which surfaced as a 500 when the contract fuzzer put one into a department's name.
 * Refused here as bad input (400) naming the field, before any route reads the body.
 */
import type { RequestHandler } from 'express';
import { HttpProblem } from './problem';

/** The path (`name.en`, `steps.0.title`) of the first string, or key, holding a NUL. */
function firstNul(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')].join('.');
    const found = firstNul(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

export const refuseNul: RequestHandler = (req, _res, next) => {
  const field = firstNul(req.body);
  if (!field) return next();
  const reason = 'contains a NUL character (U+0000), which cannot be stored / 含有无法保存的空字符';
  next(new HttpProblem(400, 'Bad Request', `${field}: ${reason}`, { errors: [{ field, reason }] }));
};
