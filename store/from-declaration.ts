/** The case's declaration (domain/case/declare.ts) as mongoose fields: scalars typed, parts kept whole. */
import { Schema, type SchemaDefinition } from 'mongoose';
import type { Fields, Shape } from '../domain/case/declare';

export function toMongooseFields(fields: Fields, indexed: readonly string[] = []): SchemaDefinition {
  return Object.fromEntries(
    Object.entries(fields).map(([key, shape]) => {
      const type = typeOf(shape);
      return [key, indexed.includes(key) ? { type, index: true } : { type }];
    }),
  );
}

function typeOf(shape: Shape): unknown {
  switch (shape.t) {
    case 'optional':
    case 'nullable':
      return typeOf(shape.of);
    case 'string':
    case 'instant':
    case 'enum':
      return String;
    case 'number':
      return Number;
    case 'boolean':
      return Boolean;
    default:
      // a part of the case (duties, plan, rounds …) is stored as the case holds it
      return Schema.Types.Mixed;
  }
}
