import type { z } from 'zod';
import { badRequest } from './problem';

/** Parses input against a schema or throws a 400 problem naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(result.error);
  return result.data;
}
