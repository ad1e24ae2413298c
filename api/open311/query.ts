/**
 * GET Service Requests arguments: service_request_id (a comma-separated list that overrides the
 * rest), service_code and status (comma-separated or repeated), start_date / end_date on the
 * requested time (W3C ISO 8601 with a zone, at most 90 days apart; the last 90 days by default).
 */
import { badRequest } from './errors';
import type { GeoStatus } from './requests';

export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_SPAN_MS = 90 * DAY_MS;

export type RequestSearch =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'filter'; from: Date; to: Date; serviceCodes: string[]; statuses: GeoStatus[] };

/** A repeated argument arrives as an array; the spec lists values with commas either way. */
function list(value: unknown): string[] {
  const parts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return [
    ...new Set(
      parts
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`${name}: send it once`);
  return value.trim() || undefined;
}

/** The W3C profile of ISO 8601: a date, or a date and time with Z or an offset. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function date(name: string, value: unknown): Date | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const parsed = W3C_DATETIME.test(text) ? new Date(text) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw badRequest(`${name}: a W3C date-time with its zone, e.g. 2026-01-01T00:00:00Z`);
  return parsed;
}

export function parseRequestSearch(query: Record<string, unknown>, now: Date): RequestSearch {
  const ids = list(query.service_request_id);
  if (ids.length > MAX_REQUESTS) throw badRequest(`service_request_id: at most ${MAX_REQUESTS} ids at once`);
  if (ids.length > 0) return { kind: 'ids', ids };

  const statuses = list(query.status);
  const unknown = statuses.filter((s) => s !== 'open' && s !== 'closed');
  if (unknown.length) throw badRequest(`status: open or closed, not ${unknown.join(', ')}`);

  let from = date('start_date', query.start_date);
  let to = date('end_date', query.end_date);
  if (from && to) {
    if (to < from) throw badRequest('end_date: before start_date');
    if (to.getTime() - from.getTime() > MAX_SPAN_MS)
      throw badRequest('end_date: start_date and end_date may not span more than 90 days');
  }
  to ??= from ? new Date(from.getTime() + MAX_SPAN_MS) : now;
  from ??= new Date(to.getTime() - MAX_SPAN_MS);
  return { kind: 'filter', from, to, serviceCodes: list(query.service_code), statuses: statuses as GeoStatus[] };
}
