/**
 * One mongoose connection per process. MongoDB here holds projections, audit events and reference
 * data; Temporal is the durable source of truth. Filters are sanitised (`sanitizeFilter`): an
 * operator in user input becomes a literal `$eq`, so NoSQL operator injection cannot reach a query.
 */
import mongoose, { type Connection } from 'mongoose';

mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export async function connectStore(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: true });
  await connection.asPromise();
  return connection;
}

/** E11000, also when it comes inside a bulk write's error list. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: { code?: unknown }[] };
  return e.code === 11000 || (e.writeErrors ?? []).some((w) => w.code === 11000);
}
