/**
 * The API's request log, read as an operator reads it: the real app on a real port, its logger
 * writing to a stream this test captures, real requests carrying every kind of credential (a bearer
 * token, an Open311 api_key in the query string and in a form body, a cookie, a webhook signature,
 * a token in a query string). Each request still has its log line; no credential is in any line.
 */
import { randomUUID } from 'node:crypto';
import { createLogger, REDACTED } from '../../platform/logger';
import { ApiKeys } from '../../store/api-keys';
import { eventually } from '../support/eventually';
import { township } from '../support/fixtures';
import { useHarness } from '../support/harness';

const logText: string[] = [];
const harness = useHarness('dev-server', {
  logger: createLogger('api-test', 'info', { write: (line: string) => void logText.push(line) }),
});

/** Every secret a request below carries; none may reach the log. */
const secrets = {
  apiKey: `test-open311-key-${randomUUID()}`,
  cookie: `session-${randomUUID()}`,
  signature: `sha256=${randomUUID().replace(/-/g, '')}`,
  queryToken: `query-token-${randomUUID()}`,
  bodyToken: `body-token-${randomUUID()}`,
  bearer: '', // minted in beforeAll
};

beforeAll(async () => {
  await new ApiKeys(harness.db.connection).insertMissing([
    { key: secrets.apiKey, accountId: township.accountId, townshipId: 'tw-nanpuxi', label: 'test: request log' },
  ]);
  secrets.bearer = await harness.stack.token(township);
});

const url = (path: string) => `${harness.stack.baseUrl}${path}`;

interface LogLine {
  msg: string;
  req?: { id: string; method: string; url: string; headers: Record<string, string> };
  res?: { statusCode: number };
}

/** The log line pino-http wrote for the request with this id, once it is there. */
const lineOf = (requestId: string): Promise<LogLine> =>
  eventually(async () => {
    const line = logText.map((l) => JSON.parse(l) as LogLine).find((l) => l.req?.id === requestId);
    if (!line) throw new Error(`no log line for request ${requestId}`);
    return line;
  }, 5_000);

async function send(path: string, init: RequestInit = {}): Promise<{ status: number; line: LogLine }> {
  const requestId = `log-test-${randomUUID()}`;
  const res = await fetch(url(path), {
    ...init,
    headers: { 'x-request-id': requestId, 'user-agent': 'request-log-test', ...(init.headers ?? {}) },
  });
  await res.arrayBuffer();
  return { status: res.status, line: await lineOf(requestId) };
}

describe('when requests carry a bearer token, an api_key, a cookie and a signature', () => {
  const requests: { status: number; line: LogLine }[] = [];

  beforeAll(async () => {
    // the internal API with a bearer token, a cookie and a webhook signature
    requests.push(
      await send('/api/v1/whistles?status=reporting', {
        headers: {
          authorization: `Bearer ${secrets.bearer}`,
          cookie: `sid=${secrets.cookie}`,
          'x-whistle-signature': secrets.signature,
        },
      }),
    );
    // a JSON body that does not parse, holding a token: express keeps the raw text on its error
    requests.push(
      await send('/api/v1/whistles', {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.bearer}`, 'content-type': 'application/json' },
        body: `{"token":"${secrets.bodyToken}",`,
      }),
    );
    // a token in a query string, where a client library may put one
    requests.push(await send(`/open311/v2/services.json?lang=zh&access_token=${secrets.queryToken}`));
    // Open311: the api_key in the query string (the README's example), then in a form body
    requests.push(await send(`/open311/v2/requests.json?api_key=${secrets.apiKey}&status=open`));
    requests.push(
      await send('/open311/v2/requests.json', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({
          api_key: secrets.apiKey,
          service_code: 'WJ-006',
          lat: '27.5431',
          long: '119.7712',
          address_string: '南浦溪镇下村 12 号',
          description: '临时砖房逾期未拆除 / a temporary shed never removed',
        }).toString(),
      }),
    );
    // and a key that is refused, in the query string of a JSON post
    requests.push(
      await send(`/open311/v2/requests.json?api_key=${secrets.apiKey}-revoked`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service_code: 'WJ-006' }),
      }),
    );
  });

  it('then they were served as usual', () => {
    expect(requests.map((r) => r.status)).toEqual([200, 400, 200, 200, 201, 403]);
  });

  it('then each has its request line: method, URL (secret query values masked), status, named headers only', () => {
    expect(requests.map(({ line }) => [line.req?.method, line.req?.url, line.res?.statusCode])).toEqual([
      ['GET', '/api/v1/whistles?status=reporting', 200],
      ['POST', '/api/v1/whistles', 400],
      ['GET', `/open311/v2/services.json?lang=zh&access_token=${REDACTED}`, 200],
      ['GET', `/open311/v2/requests.json?api_key=${REDACTED}&status=open`, 200],
      ['POST', '/open311/v2/requests.json', 201],
      ['POST', `/open311/v2/requests.json?api_key=${REDACTED}`, 403],
    ]);
    for (const { line } of requests) {
      expect(line.msg).toBe('request completed');
      expect(line.req?.headers['user-agent']).toBe('request-log-test');
      expect(Object.keys(line.req?.headers ?? {})).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/authorization|cookie|signature/)]),
      );
    }
  });

  it('then no line of the log holds any of the secrets', () => {
    const text = logText.join('');
    expect(text).toContain('request completed');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length).toBeGreaterThan(10);
      if (text.includes(secret)) throw new Error(`the log holds the ${name}: ${secret}`);
    }
    expect(text).not.toMatch(/Bearer /i);
  });
});
