/**
 * A small declaration language for the case's shape, free of zod and of I/O: the workflow bundle
 * imports the types it infers and never builds a schema. The API turns a declaration into zod
 * (views, OpenAPI), the store into a mongoose schema — one declaration, many derivations.
 */

export type Shape =
  | { readonly t: 'string' }
  | { readonly t: 'instant' }
  | { readonly t: 'number'; readonly int?: boolean }
  | { readonly t: 'boolean' }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'literal'; readonly value: string | number | boolean }
  | { readonly t: 'object'; readonly fields: Fields }
  | { readonly t: 'array'; readonly of: Shape }
  | { readonly t: 'optional'; readonly of: Shape }
  | { readonly t: 'nullable'; readonly of: Shape }
  | { readonly t: 'union'; readonly of: readonly Shape[] }
  | { readonly t: 'unknown' };

export type Fields = { readonly [key: string]: Shape };

export const s = {
  string: () => ({ t: 'string' }) as const,
  /** an ISO 8601 instant (documented as `date-time`) */
  instant: () => ({ t: 'instant' }) as const,
  number: () => ({ t: 'number' }) as const,
  int: () => ({ t: 'number', int: true }) as const,
  boolean: () => ({ t: 'boolean' }) as const,
  enum: <const V extends readonly string[]>(values: V) => ({ t: 'enum', values }) as const,
  literal: <const V extends string | number | boolean>(value: V) => ({ t: 'literal', value }) as const,
  object: <const F extends Fields>(fields: F) => ({ t: 'object', fields }) as const,
  array: <const S extends Shape>(of: S) => ({ t: 'array', of }) as const,
  optional: <const S extends Shape>(of: S) => ({ t: 'optional', of }) as const,
  nullable: <const S extends Shape>(of: S) => ({ t: 'nullable', of }) as const,
  union: <const S extends readonly Shape[]>(...of: S) => ({ t: 'union', of }) as const,
  unknown: () => ({ t: 'unknown' }) as const,
};

/** Some fields of a declaration, to declare a view of part of it. */
export function pick<F extends Fields, K extends keyof F>(fields: F, keys: readonly K[]): Pick<F, K> {
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as Pick<F, K>;
}

/** The TypeScript type a declaration describes. */
export type Infer<S> = S extends { t: 'string' | 'instant' }
  ? string
  : S extends { t: 'number' }
    ? number
    : S extends { t: 'boolean' }
      ? boolean
      : S extends { t: 'enum'; values: readonly (infer V)[] }
        ? V
        : S extends { t: 'literal'; value: infer V }
          ? V
          : S extends { t: 'array'; of: infer O }
            ? Infer<O>[]
            : S extends { t: 'nullable'; of: infer O }
              ? Infer<O> | null
              : S extends { t: 'union'; of: readonly (infer U)[] }
                ? Infer<U>
                : S extends { t: 'object'; fields: infer F }
                  ? InferFields<F>
                  : unknown;

type Required<F> = { -readonly [K in keyof F as F[K] extends { t: 'optional' } ? never : K]: Infer<F[K]> };
type Optional<F> = {
  -readonly [K in keyof F as F[K] extends { t: 'optional' } ? K : never]?: F[K] extends { t: 'optional'; of: infer O }
    ? Infer<O>
    : never;
};
type Flat<T> = { [K in keyof T]: T[K] };
export type InferFields<F> = Flat<Required<F> & Optional<F>>;
