/**
 * Webhook signatures: `X-Whistle-Signature: sha256=<hex HMAC-SHA256 of the raw request body>`,
 * keyed by the receiver's secret. Receivers check it with `verifySignature` (or the same three
 * lines in their own language, see README "Notifications").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Whistle-Signature';
export const EVENT_ID_HEADER = 'X-Whistle-Event-Id';
export const TIMESTAMP_HEADER = 'X-Whistle-Timestamp';
export const EVENT_TYPE_HEADER = 'X-Whistle-Event-Type';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a received signature header against the raw body. */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
