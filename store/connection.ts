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

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
