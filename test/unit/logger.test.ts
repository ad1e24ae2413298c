/** The loggers' redaction: every path a credential could take into a log line, and URLs' secret query values. */
import { createLogger, REDACTED, redactUrl } from '../../platform/logger';

function logged(obj: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  createLogger('unit', 'info', { write: (line: string) => void lines.push(line) }).info(obj, 'line');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('when a URL is logged', () => {
  it('then the values of its secret query parameters are masked, whatever their case or escaping', () => {
    expect(redactUrl('/open311/v2/requests.json?api_key=k-123&status=open')).toBe(
      `/open311/v2/requests.json?api_key=${REDACTED}&status=open`,
    );
    expect(redactUrl('/x?API%5FKEY=a&Token=b&access_token&sig=c&lang=zh#frag')).toBe(
      `/x?API%5FKEY=${REDACTED}&Token=${REDACTED}&access_token=${REDACTED}&sig=${REDACTED}&lang=zh`,
    );
  });

  it('then a URL without a query is kept as it is', () => {
    expect(redactUrl('/api/v1/whistles/case-1')).toBe('/api/v1/whistles/case-1');
    expect(redactUrl('/x?status=open&page=2')).toBe('/x?status=open&page=2');
  });
});

describe('when a log object carries credentials', () => {
  it('then headers, bodies, secrets, signatures and tokens are redacted and everything else is kept', () => {
    const line = logged({
      req: {
        headers: { authorization: 'Bearer secret-1', cookie: 'secret-2', 'user-agent': 'ua' },
        body: { api_key: 'secret-3' },
      },
      headers: { 'x-whistle-signature': 'sha256=secret-4', 'x-api-key': 'secret-5', accept: '*/*' },
      webhook: { url: 'https://hooks.example', secret: 'secret-6' },
      err: { message: 'bad JSON', body: 'api_key=secret-7&x=1' },
      token: 'secret-8',
      body: { api_key: 'secret-9' },
      caseId: 'case-1',
    });
    expect(line).toMatchObject({
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'user-agent': 'ua' }, body: REDACTED },
      headers: { 'x-whistle-signature': REDACTED, 'x-api-key': REDACTED, accept: '*/*' },
      webhook: { url: 'https://hooks.example', secret: REDACTED },
      err: { message: 'bad JSON', body: REDACTED },
      token: REDACTED,
      body: REDACTED,
      caseId: 'case-1',
    });
    expect(JSON.stringify(line)).not.toMatch(/secret-\d/);
  });
});
