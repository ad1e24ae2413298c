/**
 * The service's loggers (pino, JSON lines). No secret reaches a log: credentials are redacted by
 * path wherever a log object could carry them (headers, bodies, webhook secrets and signatures),
 * and URLs are logged with the values of their secret query parameters masked.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACTED = '[redacted]';

/** Query-string and body parameters that carry a credential (compared lower-case). */
const SECRET_PARAMS = new Set([
  'api_key',
  'apikey',
  'key',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'jwt',
  'secret',
  'client_secret',
  'password',
  'signature',
  'sig',
]);

/** Field names that hold a credential, at the top of a log object or one level down. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'api_key',
  'apiKey',
  'token',
  'secret',
  'password',
  'signature',
  'x-api-key',
  'x-whistle-signature',
];

/** Every path a secret could take into a log line (fast-redact syntax). */
export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [`["${f}"]`, `*["${f}"]`]),
  // request and response headers, wherever an object logs them
  ...SECRET_FIELDS.flatMap((f) => [`req.headers["${f}"]`, `headers["${f}"]`, `*.headers["${f}"]`]),
  'res.headers["set-cookie"]',
  // a request body, whole: a form or JSON body may carry an api_key (Open311) or any other secret
  'body',
  'req.body',
  '*.body.api_key',
  // express' body-parser errors keep the raw body text they could not parse
  'err.body',
];

/**
 * A logger for one process part. `destination` (stdout by default) takes the JSON lines, e.g. a
 * test's captured stream.
 */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = { name, level, redact: { paths: REDACT_PATHS, censor: REDACTED } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A URL as a log may show it: the values of secret query parameters masked, the rest of the query
 * kept (it says what was asked for); a fragment, which never reaches a server, is dropped.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return isSecretParam(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${masked}`;
}

function isSecretParam(raw: string): boolean {
  let name = raw;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the name as it came
  }
  return SECRET_PARAMS.has(name.trim().toLowerCase());
}
