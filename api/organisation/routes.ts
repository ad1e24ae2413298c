/**
 * Read and admin endpoints of one kind of reference data (townships, departments, accounts):
 * list and read for the roles given, create / change / retire for the admin only.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Role } from '../../domain/identity';
import { Id } from '../../domain/names';
import type { ReferenceCollection } from '../../store/reference-collection';
import { requireRole } from '../http/authenticate';
import { isIdempotentRetry } from '../http/idempotency';
import { HttpProblem } from '../http/problem';
import { parse } from '../http/validate';

export interface ReferenceRoutesOptions<T extends { id: string; retired?: boolean }> {
  collection: ReferenceCollection<T>;
  schema: z.ZodType<T>;
  /** what one item is called in messages, e.g. "township" */
  noun: string;
  readRoles?: Role[];
  /** after an item changed (e.g. to drop a cached account) */
  changed?: (id: string) => void;
  /** what the schema cannot see (an account's module in its township): 422 naming the field */
  check?: (item: T) => Promise<{ field: string; reason: string } | undefined>;
}

const IdParam = z.strictObject({ id: Id });
const ListQuery = z.strictObject({ includeRetired: z.enum(['true', 'false']).optional() });

export function referenceRoutes<T extends { id: string; retired?: boolean }>(
  options: ReferenceRoutesOptions<T>,
): Router {
  const { collection, schema, noun } = options;
  const router = Router();
  const read = options.readRoles ? [requireRole(...options.readRoles)] : [];
  const admin = requireRole('admin');
  const notFound = (id: string) => new HttpProblem(404, 'Not Found', `no ${noun} ${id}`);
  const checked = async (item: T) => {
    const refusal = await options.check?.(item);
    if (refusal) throw new HttpProblem(422, 'Unprocessable Content', refusal.reason, { errors: [refusal] });
    return item;
  };

  router.get('/', ...read, async (req, res) => {
    const { includeRetired } = parse(ListQuery, req.query);
    res.json({ items: await collection.list({ includeRetired: includeRetired === 'true' }) });
  });

  router.get('/:id', ...read, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const item = await collection.get(id);
    if (!item) throw notFound(id);
    res.json(item);
  });

  router.post('/', admin, async (req, res) => {
    const item = await checked(parse(schema, req.body));
    if (!(await collection.create(item))) {
      const existing = await collection.get(item.id);
      if (!isIdempotentRetry(req, existing, item))
        throw new HttpProblem(409, 'Conflict', `${noun} ${item.id} exists already`);
    }
    res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
  });

  router.put('/:id', admin, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const item = parse(schema, req.body);
    if (item.id !== id)
      throw new HttpProblem(400, 'Bad Request', `body id ${item.id} differs from the path's ${id}`, {
        errors: [{ field: 'id', reason: 'must equal the id in the path' }],
      });
    await checked(item);
    if (!(await collection.replace(item))) throw notFound(id);
    options.changed?.(id);
    res.json(item);
  });

  router.delete('/:id', admin, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const item = await collection.get(id);
    if (!item) throw notFound(id);
    const retired = { ...item, retired: true };
    await collection.replace(retired);
    options.changed?.(id);
    res.json(retired);
  });

  return router;
}
