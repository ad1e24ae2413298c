/** The case's declarations (domain/case/declare.ts) as zod schemas: the views and the OpenAPI document. */
import { z } from 'zod';
import type { Infer, Shape } from '../../domain/case/declare';

export function toZod<S extends Shape>(shape: S): z.ZodType<Infer<S>> {
  return build(shape) as z.ZodType<Infer<S>>;
}

function build(shape: Shape): z.ZodType {
  switch (shape.t) {
    case 'string':
      return z.string();
    case 'instant':
      return z.string().meta({ format: 'date-time' });
    case 'number':
      return shape.int ? z.number().int() : z.number();
    case 'boolean':
      return z.boolean();
    case 'enum':
      return z.enum(shape.values as [string, ...string[]]);
    case 'literal':
      return z.literal(shape.value);
    case 'object':
      return z.object(Object.fromEntries(Object.entries(shape.fields).map(([key, field]) => [key, build(field)])));
    case 'array':
      return z.array(build(shape.of));
    case 'optional':
      return build(shape.of).optional();
    case 'nullable':
      return build(shape.of).nullable();
    case 'union':
      return z.union(shape.of.map(build) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
    case 'unknown':
      return z.unknown();
  }
}
