/**
 * POST Service Request: the spec's arguments (form-encoded, or the same names in JSON) checked and
 * turned into the whistle the intake raises. Per the spec an empty argument counts as absent, and
 * `attribute[…]` and arguments the spec has but the case does not keep are accepted and dropped.
 */
import { z } from 'zod';
import type { Matter } from '../../domain/responsibility-list/schemas';
import { badRequest, fromZod } from './errors';
import type { RaiseWhistle } from '../../domain/case/shape';

/** '' and missing are the same thing (spec: Optional Arguments); a repeated argument is an error. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const text = (max: number) => z.string('text, sent once').trim().max(max, `at most ${max} characters`);

/** Form fields arrive as text, JSON may send numbers. */
const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? Number(v) : v),
    z.number('a decimal number (WGS84)').min(min, `between ${min} and ${max}`).max(max, `between ${min} and ${max}`),
  );

export const PostRequestFields = z.object({
  service_code: optional(text(64)),
  lat: optional(coordinate(-90, 90)),
  long: optional(coordinate(-180, 180)),
  address_string: optional(text(500)),
  address_id: optional(text(200)),
  description: optional(text(4000)),
  media_url: optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000, 'at most 2000 characters')),
  email: optional(text(254)),
  device_id: optional(text(200)),
  account_id: optional(text(200)),
  first_name: optional(text(200)),
  last_name: optional(text(200)),
  phone: optional(text(64)),
});
export type PostRequestFields = z.infer<typeof PostRequestFields>;

export interface CheckedRequest extends PostRequestFields {
  service_code: string;
}

/** Checks the arguments; the first thing missing is named as the spec names it. */
export function checkPostRequest(body: unknown): CheckedRequest {
  const parsed = PostRequestFields.safeParse(body ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  const fields = parsed.data;
  if (fields.service_code === undefined) throw badRequest('service_code was not provided / 缺少 service_code');
  if ((fields.lat === undefined) !== (fields.long === undefined)) {
    const missing = fields.lat === undefined ? 'lat' : 'long';
    throw badRequest(`${missing} was not provided: lat and long are sent together / lat 与 long 须同时提供`);
  }
  if (fields.lat === undefined && fields.address_string === undefined && fields.address_id === undefined) {
    throw badRequest('a location was not provided: send lat & long, address_string or address_id / 缺少位置');
  }
  return { ...fields, service_code: fields.service_code };
}

const NO_DESCRIPTION = '未填写描述 / no description given';
const TITLE_MAX = 200;

/** The whistle this request raises for the township the api_key belongs to. */
export function toRaise(request: CheckedRequest, matter: Matter, townshipId: string): RaiseWhistle {
  const description = request.description || NO_DESCRIPTION;
  // the case list shows titles on one line: the matter, then the start of what was reported
  const excerpt = request.description ? Array.from(request.description.replace(/\s+/g, ' ')).slice(0, 60).join('') : '';
  const title = Array.from(excerpt ? `${matter.name.zh}：${excerpt}` : matter.name.zh)
    .slice(0, TITLE_MAX)
    .join('');
  const coordinates =
    request.lat !== undefined && request.long !== undefined ? { lat: request.lat, lng: request.long } : undefined;
  const address =
    request.address_string ??
    (coordinates ? `${coordinates.lat},${coordinates.lng}` : `address_id ${request.address_id}`);
  return {
    matterCode: matter.code,
    title,
    description,
    urgency: 'normal',
    location: { townshipId, address, ...(coordinates ? { coordinates } : {}) },
  };
}
