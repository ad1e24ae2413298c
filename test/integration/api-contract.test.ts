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
import { Problem } from '../../api/contract/common';
import {
  admin,
  dispatcher,
  ecology,
  enforcement,
  illegalConstruction,
  planning,
  riverCheck,
  supervisor,
  township,
} from '../support/fixtures';
import { eventually } from '../support/eventually';
import { useHarness } from '../support/harness';
import { call } from '../support/http';
import { TEST_JWT_SECRET } from '../support/stack';

const harness = useHarness('dev-server');
const api = async (method: string, path: string, body?: unknown, headers?: Record<string, string>, as = township) =>
  call(harness.stack.baseUrl, method, path, {
    token: await harness.stack.token(as),
    body,
    ...(headers ? { headers } : {}),
  });

describe('when a client reads the contract', () => {
  it('then /openapi.json is OpenAPI 3.1 generated from the schemas, and /docs serves the interactive docs', async () => {
    const doc = await call(harness.stack.baseUrl, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/whistles',
        '/api/v1/whistles/{id}/acknowledge',
        '/api/v1/matters/import',
        '/api/v1/calendar/years/{year}',
        '/readyz',
      ]),
    );
    expect(doc.body.components.schemas.WhistleCase.properties.duties).toBeDefined();
    expect(
      doc.body.paths['/api/v1/whistles'].post.requestBody.content['application/json'].schema.additionalProperties,
    ).toBe(false);

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

/** Where `value` holds fields the documented schema does not describe (resolving $ref, allOf, unions). */
function undocumented(doc: any, schema: any, value: unknown, path = ''): string[] {
  if (!schema) return [];
  if (schema.$ref) return undocumented(doc, doc.components.schemas[schema.$ref.split('/').pop()], value, path);
  if (schema.allOf) {
    const parts = schema.allOf.map((s: any) => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s));
    return undocumented(
      doc,
      { type: 'object', properties: Object.assign({}, ...parts.map((s: any) => s.properties ?? {})) },
      value,
      path,
    );
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives)
    return alternatives
      .map((s: any) => undocumented(doc, s, value, path))
      .reduce((a: string[], b: string[]) => (b.length < a.length ? b : a));
  if (Array.isArray(value)) return value.flatMap((v, i) => undocumented(doc, schema.items, v, `${path}${i}.`));
  // an object without `properties` is free-form (a record, or unknown) in the document
  if (value !== null && typeof value === 'object' && schema.properties) {
    return Object.entries(value).flatMap(([k, v]) =>
      k in schema.properties ? undocumented(doc, schema.properties[k], v, `${path}${k}.`) : [`${path}${k}`],
    );
  }
  return [];
}

describe('when a client drives the case actions', () => {
  const NEW_ACTIONS = [
    'decline',
    'arbitration',
    'suspend',
    'suspension/approve',
    'resume',
    'plan',
    'steps/{key}/complete',
    'withdraw',
    'merge',
    'reinspection',
  ];

  it('then every action is documented: its body, a WhistleCase answer, and the refusals it can give', async () => {
    const doc = (await call(harness.stack.baseUrl, 'GET', '/openapi.json')).body;
    for (const action of NEW_ACTIONS) {
      const op = doc.paths[`/api/v1/whistles/{id}/${action}`]?.post;
      expect(`${action}: ${op ? 'documented' : 'missing'}`).toBe(`${action}: documented`);
      expect(op.requestBody.content['application/json'].schema).toBeDefined();
      expect(op.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WhistleCase');
      for (const status of ['400', '401', '403', '404', '409', '422'])
        expect(`${action} ${status}: ${op.responses[status]?.content['application/problem+json'] ? 'yes' : 'no'}`).toBe(
          `${action} ${status}: yes`,
        );
    }
    const raise = doc.paths['/api/v1/whistles'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(raise.properties)).toEqual(
      expect.arrayContaining(['evidence', 'direction', 'assistModule', 'assistTasks']),
    );
  });

  it('then each answer, success or refusal, is one the document describes, field by field', async () => {
    const doc = (await call(harness.stack.baseUrl, 'GET', '/openapi.json')).body;
    const whistleCase = { $ref: '#/components/schemas/WhistleCase' };
    const seen: string[] = [];
    const raised: string[] = [];
    /** The answer's status is documented for the path, and its body fits the schema with nothing undocumented. */
    const conforms = async (actor: typeof township, method: string, path: string, template: string, body?: unknown) => {
      const res = await api(method, `/api/v1${path}`, body, undefined, actor);
      const op = doc.paths[`/api/v1${template}`][method.toLowerCase()];
      const documented = op.responses[String(res.status)];
      expect(`${method} ${template} → ${res.status}: ${documented ? 'documented' : 'undocumented'}`).toBe(
        `${method} ${template} → ${res.status}: documented`,
      );
      if (res.status < 400) {
        expect(() => CaseView.parse(res.body)).not.toThrow();
        expect({ [`${method} ${template}`]: undocumented(doc, whistleCase, res.body) }).toEqual({
          [`${method} ${template}`]: [],
        });
      } else {
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(() => Problem.parse(res.body)).not.toThrow();
      }
      seen.push(`${res.status} ${template}`);
      return res;
    };
    const post = (
      actor: typeof township,
      id: string,
      action: string,
      body?: unknown,
      template = `/whistles/{id}/${action}`,
    ) => conforms(actor, 'POST', `/whistles/${id}/${action}`, template, body);
    const photo = { kind: 'photo' as const, uri: 'https://evidence.example/contract.jpg', sha256: 'a'.repeat(64) };
    const raise = async (body: unknown = illegalConstruction({ evidence: [photo] }), actor = township) => {
      const res = await conforms(actor, 'POST', '/whistles', '/whistles', body);
      expect(res.status).toBe(201);
      raised.push(res.body.caseId);
      return res.body.caseId as string;
    };

    // dispute, suspension and a joint-enforcement plan on one case, then its result, closing and re-inspection
    const id = await raise();
    await post(planning, id, 'decline', { reason: 'not ours', suggestedDepartmentId: 'dept-housing' });
    await post(planning, id, 'decline', { reason: 'again' }); // 409
    await post(supervisor, id, 'arbitration', { departmentId: 'dept-planning', decision: 'reject', note: 'yours' });
    await post(enforcement, id, 'acknowledge');
    await post(enforcement, id, 'suspend', { reason: 'waiting for an approval' });
    await post(supervisor, id, 'suspension/approve', { departmentId: 'dept-enforcement' });
    await post(enforcement, id, 'resume', {});
    const steps = [
      {
        key: 'inspect',
        title: 'inspect',
        kind: 'inspection',
        assignee: { kind: 'department', departmentId: 'dept-enforcement' },
        limit: { amount: 1, unit: 'working_day' },
        dependsOn: [],
      },
      {
        key: 'notice',
        title: 'notice',
        kind: 'rectification_notice',
        assignee: { kind: 'township', townshipId: 'tw-nanpuxi', module: 'enforcement' },
        limit: { amount: 1, unit: 'working_day' },
        dependsOn: ['inspect'],
      },
    ];
    await post(enforcement, id, 'plan', { steps: [{ ...steps[0], dependsOn: ['ghost'] }] }); // 422
    await post(enforcement, id, 'plan', { steps });
    await post(township, id, 'steps/notice/complete', { note: 'too early' }, '/whistles/{id}/steps/{key}/complete'); // 409
    await post(
      enforcement,
      id,
      'steps/inspect/complete',
      { note: 'inspected', evidence: [photo] },
      '/whistles/{id}/steps/{key}/complete',
    );
    await post(township, id, 'steps/notice/complete', { note: 'served' }, '/whistles/{id}/steps/{key}/complete');
    await post(planning, id, 'acknowledge');
    for (const dept of [enforcement, planning]) await post(dept, id, 'on-site');
    await post(enforcement, id, 'resolve', { summary: 'done', evidence: [photo] });
    await post(township, id, 'verify', { accept: true });
    const rating = (departmentId: string) => ({ departmentId, speed: 5, attitude: 5, result: 5 });
    await post(township, id, 'evaluate', { ratings: [rating('dept-enforcement'), rating('dept-planning')] });
    await post(enforcement, id, 'evaluate', { cooperation: 5 });
    await post(planning, id, 'evaluate', { cooperation: 5 });
    await eventually(async () =>
      expect(
        (await api('GET', `/api/v1/whistles/${id}`, undefined, undefined, supervisor)).body.reinspection,
      ).toBeDefined(),
    );
    await conforms(supervisor, 'GET', `/whistles/${id}`, '/whistles/{id}');
    await post(township, id, 'reinspection', { recurred: true, note: 'built again' });

    // withdrawal, and a duplicate merged into a case (with the survivor read once it took it in)
    await post(township, await raise(), 'withdraw', { reason: 'raised by mistake' });
    const survivor = await raise(illegalConstruction());
    const duplicate = await raise();
    await post(dispatcher, duplicate, 'merge', { intoCaseId: 'case-nope' }); // 422
    await post(dispatcher, duplicate, 'merge', { intoCaseId: survivor });
    await eventually(async () =>
      expect(
        (await api('GET', `/api/v1/whistles/${survivor}`, undefined, undefined, supervisor)).body.mergedFrom,
      ).toHaveLength(1),
    );
    await conforms(supervisor, 'GET', `/whistles/${survivor}`, '/whistles/{id}');

    // a reverse whistle
    await raise(riverCheck(), ecology);

    for (const action of NEW_ACTIONS)
      expect(seen.some((s) => s.startsWith('200 ') && s.endsWith(`/${action}`))).toBe(true);
    // the case list is projected asynchronously: let it settle, so later tests count cases reliably
    const projections = caseProjectionModel(harness.db.connection);
    await eventually(async () =>
      expect(
        (await Promise.all(raised.map((id) => projections.findById(id, { _id: 1 }).lean()))).filter(Boolean),
      ).toHaveLength(raised.length),
    );
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
    expect(
      (await api('POST', '/api/v1/whistles', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    const wrongType = await api('POST', '/api/v1/whistles', { ...illegalConstruction(), urgency: 3 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].field).toBe('urgency');
  });

  it('then operators in queries, ids and bodies are refused, and nothing is revealed or changed', async () => {
    expect((await api('GET', '/api/v1/townships?includeRetired[$ne]=x', undefined, undefined, supervisor)).status).toBe(
      400,
    );
    expect((await api('GET', '/api/v1/matters/export?format[$gt]=', undefined, undefined, supervisor)).status).toBe(
      400,
    );
    expect(
      (await api('GET', `/api/v1/accounts/${encodeURIComponent('{"$ne":null}')}`, undefined, undefined, admin)).status,
    ).toBe(400);
    const put = await api('PUT', '/api/v1/townships/tw-nanpuxi', { id: { $ne: null } }, undefined, admin);
    expect(put.status).toBe(400);
    expect((await api('GET', '/api/v1/townships/tw-nanpuxi', undefined, undefined, supervisor)).body.name.zh).toBe(
      '南浦溪镇',
    );
    const stack = await api('GET', '/api/v1/whistles/case-nope', undefined, undefined, supervisor);
    expect(JSON.stringify(stack.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('then a NUL character, which the database cannot store, is 400 naming the field, and nothing is created', async () => {
    const department = { id: 'dept-nul', code: 'NUL', name: { zh: '测试局', en: 'Test\u0000Bureau' }, stations: [] };
    const res = await api('POST', '/api/v1/departments', department, undefined, admin);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'name.en', reason: expect.stringMatching(/NUL/) }]);
    expect((await api('GET', '/api/v1/departments/dept-nul', undefined, undefined, admin)).status).toBe(404);
  });
});

describe('when an account sends too many requests', () => {
  it('then it gets 429 with Retry-After, per account', async () => {
    const app = createApp({
      temporal: harness.env.client,
      taskQueue: harness.stack.taskQueue,
      store: harness.db.connection,
      jwtSecret: TEST_JWT_SECRET,
      logger: createLogger('limited', 'silent'),
      rateLimitPerMinute: 3,
    });
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
      expect(
        (await call(base, 'GET', '/api/v1/townships', { token: await harness.stack.token(enforcement) })).status,
      ).toBe(200);
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
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { temporal: 'ok', database: 'ok' },
      // the calendar's coverage is a detail (its warning depends on today: calendar-api.test.ts pins it)
      details: { calendar: expect.objectContaining({ daysLeft: expect.any(Object) }) },
    });
    const metrics = await (await fetch(`${harness.stack.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/api\/v1\/whistles\/",status="201"\}/);
    expect(metrics).toMatch(/whistle_cases\{status="reporting"\} \d+/);
    expect(metrics).toMatch(/whistle_overdue_cases \d+/);
    expect(metrics).toMatch(/whistle_calendar_days_left\{data="official"\} \d+/);
  });
});
