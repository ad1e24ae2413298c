/**
 * The API as its users meet it: the generated contract and docs, security headers, size and rate
 * limits, operations endpoints, and bad or injected input that never creates or reveals anything.
 */
import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { MatterList } from '../../api/matters/schemas';
import { CaseView } from '../../api/whistles/views';
import { createLogger } from '../../platform/logger';
import { caseProjectionModel } from '../../store/case-projections';
import { admin, enforcement, illegalConstruction, supervisor, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { call } from '../support/http';
import { TEST_JWT_SECRET } from '../support/stack';

const harness = useHarness('dev-server');
const api = async (method: string, path: string, body?: unknown, headers?: Record<string, string>, as = township) =>
  call(harness.stack.baseUrl, method, path, { token: await harness.stack.token(as), body, ...(headers ? { headers } : {}) });

describe('when a client reads the contract', () => {
  it('then /openapi.json is OpenAPI 3.1 generated from the schemas, and /docs serves the interactive docs', async () => {
    const doc = await call(harness.stack.baseUrl, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/whistles', '/api/v1/whistles/{id}/acknowledge', '/api/v1/matters/import', '/readyz']));
    expect(doc.body.components.schemas.WhistleCase.properties.duties).toBeDefined();
    expect(doc.body.paths['/api/v1/whistles'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);

    const docs = await fetch(`${harness.stack.baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger-ui/i);
  });

  it('then responses match their documented schemas', async () => {
    const raised = await api('POST', '/api/v1/whistles', illegalConstruction());
    expect(() => CaseView.parse(raised.body)).not.toThrow();
    const read = await api('GET', `/api/v1/whistles/${raised.body.caseId}`, undefined, undefined, enforcement);
    expect(() => CaseView.parse(read.body)).not.toThrow();
    const matters = await api('GET', '/api/v1/matters');
    expect(() => MatterList.parse(matters.body)).not.toThrow();
  });
});

describe('when responses go out', () => {
  it('then security headers are set and every answer carries a request id', async () => {
    const res = await fetch(`${harness.stack.baseUrl}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const echoed = await fetch(`${harness.stack.baseUrl}/healthz`, { headers: { 'x-request-id': 'req-12345' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-12345');
  });
});

describe('when a request is oversized, wrong-typed or injected', () => {
  const cases = () => caseProjectionModel(harness.db.connection).countDocuments();

  it('then an oversized body is 413 and creates nothing', async () => {
    const before = await cases();
    const res = await api('POST', '/api/v1/whistles', illegalConstruction({ description: 'x'.repeat(300_000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await cases()).toBe(before);
  });

  it('then a wrong content type is 415 and a wrong-typed field 400', async () => {
    expect((await api('POST', '/api/v1/whistles', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const wrongType = await api('POST', '/api/v1/whistles', { ...illegalConstruction(), urgency: 3 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].field).toBe('urgency');
  });

  it('then operators in queries, ids and bodies are refused, and nothing is revealed or changed', async () => {
    expect((await api('GET', '/api/v1/townships?includeRetired[$ne]=x', undefined, undefined, supervisor)).status).toBe(400);
    expect((await api('GET', '/api/v1/matters/export?format[$gt]=', undefined, undefined, supervisor)).status).toBe(400);
    expect((await api('GET', `/api/v1/accounts/${encodeURIComponent('{"$ne":null}')}`, undefined, undefined, admin)).status).toBe(400);
    const put = await api('PUT', '/api/v1/townships/tw-nanpuxi', { id: { $ne: null } }, undefined, admin);
    expect(put.status).toBe(400);
    expect((await api('GET', '/api/v1/townships/tw-nanpuxi', undefined, undefined, supervisor)).body.name.zh).toBe('南浦溪镇');
    const stack = await api('GET', '/api/v1/whistles/case-nope', undefined, undefined, supervisor);
    expect(JSON.stringify(stack.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('when an account sends too many requests', () => {
  it('then it gets 429 with Retry-After, per account', async () => {
    const app = createApp({ temporal: harness.env.client, taskQueue: harness.stack.taskQueue, store: harness.db.connection, jwtSecret: TEST_JWT_SECRET, logger: createLogger('limited', 'silent'), rateLimitPerMinute: 3 });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const token = await harness.stack.token(supervisor);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(base, 'GET', '/api/v1/townships', { token })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call(base, 'GET', '/api/v1/townships', { token });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call(base, 'GET', '/api/v1/townships', { token: await harness.stack.token(enforcement) })).status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('when operations check the service', () => {
  it('then /healthz is up, /readyz sees Temporal and the database, /metrics counts requests and cases', async () => {
    expect((await call(harness.stack.baseUrl, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(harness.stack.baseUrl, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok' } });
    const metrics = await (await fetch(`${harness.stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/api\/v1\/whistles\/",status="201"\}/);
    expect(metrics).toMatch(/whistle_cases\{status="reporting"\} \d+/);
    expect(metrics).toMatch(/whistle_overdue_cases \d+/);
  });
});
