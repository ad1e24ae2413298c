/**
 * Open311 GeoReport v2 as an existing Open311 client sees it: plain fetch, form-encoded POSTs,
 * .json and .xml resources, errors in the spec's format. Nothing here knows the internal API.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { create } from 'xmlbuilder2';
import { z } from 'zod';
import { ApiKeys, ApiKeySeed } from '../../store/api-keys';
import { eventually } from '../support/eventually';
import { useHarness } from '../support/harness';
import { TEST_JWT_SECRET } from '../support/stack';
import { createApp } from '../../api/app';
import { createLogger } from '../../platform/logger';

const harness = useHarness('dev-server');

const demoKeys = z
  .array(ApiKeySeed)
  .parse(JSON.parse(readFileSync(join(__dirname, '../../dev/demo-county/api-keys.json'), 'utf8')));
const keyOf = (townshipId: string) => {
  const seed = demoKeys.find((k) => k.townshipId === townshipId);
  if (!seed) throw new Error(`no demo api_key for ${townshipId}`);
  return seed.key;
};
const NANPUXI = keyOf('tw-nanpuxi');
const LUOYANG = keyOf('tw-luoyang');
/** issued to an account that has since been disabled (a transferred module lead) */
const DISABLED_ACCOUNT_KEY = 'test-open311-former-luoyang-lead';

// load.ts does not load api keys (yet): the demo keys go in after the harness loaded the county
beforeAll(async () => {
  const keys = new ApiKeys(harness.db.connection);
  await keys.insertMissing(demoKeys);
  await keys.insertMissing([
    {
      key: DISABLED_ACCOUNT_KEY,
      accountId: 'acc-luoyang-former-lead',
      townshipId: 'tw-luoyang',
      label: 'test: disabled account',
    },
  ]);
});

const url = (path: string) => `${harness.stack.baseUrl}/open311/v2${path}`;

interface Reply {
  status: number;
  type: string;
  text: string;
}

async function reply(res: globalThis.Response): Promise<Reply> {
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const get = async (path: string) => reply(await fetch(url(path)));

async function getJson(path: string) {
  const r = await get(path);
  return { ...r, body: JSON.parse(r.text) };
}

/** POSTs as the spec shows it: application/x-www-form-urlencoded. */
async function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return reply(res);
}

/** Every `item` element, at any depth, as field → text: how a schemaless GeoReport client reads XML. */
function xmlItems(xml: string, item: string): Record<string, string>[] {
  const items: Record<string, string>[] = [];
  create(xml)
    .root()
    .each(
      (el) => {
        if (el.node.nodeType !== 1 || el.node.nodeName !== item) return;
        const fields: Record<string, string> = {};
        el.each((f) => {
          if (f.node.nodeType === 1) fields[f.node.nodeName] = f.node.textContent ?? '';
        });
        items.push(fields);
      },
      false,
      true,
    );
  return items;
}

/** The text of every `name` element, at any depth. */
const xmlTexts = (xml: string, name: string) => {
  const texts: string[] = [];
  create(xml)
    .root()
    .each((el) => void (el.node.nodeName === name && texts.push(el.node.textContent ?? '')), false, true);
  return texts;
};

const rootOf = (xml: string) => create(xml).root().node.nodeName;

/** A sinkhole-style report from a grid app: WJ-006, unapproved temporary building in Nanpuxi. */
function report(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: NANPUXI,
    service_code: 'WJ-006',
    lat: '27.5431',
    long: '119.7712',
    address_string: '南浦溪镇下村 12 号',
    description: '村民在基本农田旁搭建临时砖房，逾期未拆除 / A temporary brick shed was never removed',
    media_url: 'https://example.org/photos/shed.jpg',
    first_name: '明',
    last_name: '李',
    device_id: 'grid-app-07',
    'attribute[NOT_DEFINED]': 'ignored',
    ...overrides,
  };
}

async function raise(overrides: Record<string, string> = {}): Promise<string> {
  const res = await postForm('/requests.json', report(overrides));
  expect(res.status).toBe(201);
  const id = JSON.parse(res.text)[0]?.service_request_id as unknown;
  if (typeof id !== 'string') throw new Error(`no service_request_id in ${res.text}`);
  return id;
}

/** The projection is written just after the case starts: a client polling by id sees it shortly. */
const readBack = (id: string, key = NANPUXI) =>
  eventually(async () => {
    const r = await getJson(`/requests/${id}.json?api_key=${key}`);
    expect(r.status).toBe(200);
    return r.body as Record<string, unknown>[];
  });

describe('when a client discovers the endpoint', () => {
  it('then discovery.json and discovery.xml name one production GeoReport v2 endpoint with both formats', async () => {
    const json = await getJson('/discovery.json');
    expect(json.status).toBe(200);
    expect(json.type).toBe('application/json; charset=utf-8');
    expect(json.body).toMatchObject({
      changeset: expect.any(String),
      contact: expect.any(String),
      key_service: expect.any(String),
    });
    expect(json.body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${harness.stack.baseUrl}/open311/v2`,
        changeset: json.body.changeset,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ]);

    const xml = await get('/discovery.xml');
    expect(xml.status).toBe(200);
    expect(xml.type).toBe('text/xml; charset=utf-8');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(rootOf(xml.text)).toBe('discovery');
    expect(xmlItems(xml.text, 'endpoint')).toEqual([
      expect.objectContaining({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production' }),
    ]);
    expect(xmlTexts(xml.text, 'format')).toEqual(['application/json', 'text/xml']);
  });
});

describe('when a client lists the services', () => {
  it('then every matter in force is a realtime service without metadata, named in Chinese or, with lang=en, in English', async () => {
    const zh = await getJson('/services.json');
    expect(zh.status).toBe(200);
    expect(zh.body.length).toBeGreaterThan(100);
    const shed = zh.body.find((s: { service_code: string }) => s.service_code === 'WJ-006');
    expect(shed).toMatchObject({
      metadata: false,
      type: 'realtime',
      keywords: 'illegal_construction',
      group: 'illegal_construction',
    });
    expect(shed.service_name).toMatch(/[\u4e00-\u9fff]/);
    expect(shed.description).toContain(shed.service_name);

    const en = await getJson('/services.json?lang=en');
    const shedEn = en.body.find((s: { service_code: string }) => s.service_code === 'WJ-006');
    expect(shedEn.service_name).toMatch(/^[\x20-\x7e]+$/);
    expect(shedEn.description).toBe(shed.description); // both languages either way
  });

  it('then services.xml holds the same services as <services><service>…', async () => {
    const json = await getJson('/services.json');
    const xml = await get('/services.xml');
    expect(xml.status).toBe(200);
    expect(xml.type).toBe('text/xml; charset=utf-8');
    expect(rootOf(xml.text)).toBe('services');
    const services = xmlItems(xml.text, 'service');
    expect(services.map((s) => s.service_code)).toEqual(json.body.map((s: { service_code: string }) => s.service_code));
    expect(services.find((s) => s.service_code === 'WJ-006')).toMatchObject({
      metadata: 'false',
      type: 'realtime',
      group: 'illegal_construction',
    });
  });

  it('then a service definition has no attributes, and an unknown service is 404', async () => {
    expect((await getJson('/services/WJ-006.json')).body).toEqual({ service_code: 'WJ-006', attributes: [] });
    const xml = await get('/services/WJ-006.xml');
    expect(rootOf(xml.text)).toBe('service_definition');
    expect(xml.text).toContain('<service_code>WJ-006</service_code>');

    const unknown = await getJson('/services/NOPE-999.json');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: expect.stringContaining('NOPE-999') }]);
  });
});

describe('when a township app posts a request with its api_key', () => {
  it('then a whistle is raised: 201 with its service_request_id, and reading it back shows it open, reporting', async () => {
    const res = await postForm('/requests.json', report());
    expect(res.status).toBe(201);
    expect(res.type).toBe('application/json; charset=utf-8');
    const [created] = JSON.parse(res.text);
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^case-/),
      service_notice: expect.stringContaining('dept-enforcement'),
      account_id: null,
    });

    const [request, ...more] = await readBack(created.service_request_id);
    expect(more).toHaveLength(0);
    expect(request).toMatchObject({
      service_request_id: created.service_request_id,
      status: 'open',
      status_notes: 'reporting: 0 of 2 departments reported for duty / 报到 0/2',
      service_code: 'WJ-006',
      description: report().description,
      agency_responsible: 'dept-enforcement',
      address: '南浦溪镇下村 12 号',
      lat: 27.5431,
      long: 119.7712,
      expected_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect(request?.service_name).toMatch(/[\u4e00-\u9fff]/);
  });

  it('then the same works in XML: <service_requests><request> for the POST and for reading it back', async () => {
    const res = await postForm('/requests.xml', report({ lat: '', long: '' }));
    expect(res.status).toBe(201);
    expect(res.type).toBe('text/xml; charset=utf-8');
    expect(rootOf(res.text)).toBe('service_requests');
    const [created] = xmlItems(res.text, 'request');
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^case-/),
      service_notice: expect.any(String),
      account_id: '',
    });

    const id = created!.service_request_id!;
    const read = await eventually(async () => {
      const r = await get(`/requests/${id}.xml?api_key=${NANPUXI}`);
      expect(r.status).toBe(200);
      return r;
    });
    const [request] = xmlItems(read.text, 'request');
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'WJ-006',
      lat: '',
      long: '',
      address_id: '',
    });
    expect(request?.status_notes).toMatch(/^reporting: 0 of 2/);
  });

  it('then a JSON body is taken too, and an Idempotency-Key retry finds the same request', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': `open311-${Date.now()}` };
    const body = JSON.stringify({ api_key: NANPUXI, service_code: 'WJ-006', lat: 27.5, long: 119.7 });
    const first = await reply(await fetch(url('/requests.json'), { method: 'POST', headers, body }));
    expect(first.status).toBe(201);
    const again = await reply(await fetch(url('/requests.json'), { method: 'POST', headers, body }));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)[0].service_request_id).toBe(JSON.parse(first.text)[0].service_request_id);
  });
});

describe('when a client searches its requests', () => {
  const ids: Record<'shed' | 'farmland' | 'luoyang', string> = { shed: '', farmland: '', luoyang: '' };

  beforeAll(async () => {
    ids.shed = await raise();
    ids.farmland = await raise({ service_code: 'WJ-001', description: '基本农田上建房 / building on farmland' });
    ids.luoyang = await raise({ api_key: LUOYANG, address_string: '罗阳镇 5 号' });
    await readBack(ids.farmland);
    await readBack(ids.luoyang, LUOYANG);
    await readBack(ids.shed);
  });

  const search = async (query: string) => {
    const r = await getJson(`/requests.json?api_key=${NANPUXI}${query}`);
    expect(r.status).toBe(200);
    return (r.body as { service_request_id: string }[]).map((x) => x.service_request_id);
  };

  it("then by default it gets its own township's recent requests, newest first, never another township's", async () => {
    const found = await search('');
    expect(found).toEqual(expect.arrayContaining([ids.shed, ids.farmland]));
    expect(found).not.toContain(ids.luoyang);
    expect(found.indexOf(ids.farmland)).toBeLessThan(found.indexOf(ids.shed));
  });

  it('then service_code, status and a date range narrow the search', async () => {
    const shedsOnly = await search('&service_code=WJ-006');
    expect(shedsOnly).toContain(ids.shed);
    expect(shedsOnly).not.toContain(ids.farmland);
    expect(await search('&service_code=WJ-006,WJ-001')).toEqual(expect.arrayContaining([ids.shed, ids.farmland]));

    expect(await search('&status=open')).toEqual(expect.arrayContaining([ids.shed, ids.farmland]));
    expect(await search('&status=closed')).toEqual([]);

    const hour = 60 * 60 * 1000;
    const around = `&start_date=${new Date(Date.now() - hour).toISOString()}&end_date=${new Date(Date.now() + hour).toISOString()}`;
    expect(await search(around)).toEqual(expect.arrayContaining([ids.shed, ids.farmland]));
    expect(await search('&start_date=2020-01-01T00:00:00Z&end_date=2020-01-31T00:00:00%2B08:00')).toEqual([]);
  });

  it('then a service_request_id list returns those of its township only, and overrides the other arguments', async () => {
    const found = await search(
      `&service_request_id=${ids.shed},${ids.luoyang},case-unknown,${ids.farmland}&status=closed`,
    );
    expect(found.sort()).toEqual([ids.shed, ids.farmland].sort());
  });

  it('then a range over 90 days or an unknown status is a 400 naming the argument', async () => {
    const wide = await getJson(
      `/requests.json?api_key=${NANPUXI}&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`,
    );
    expect(wide.status).toBe(400);
    expect(wide.body[0].description).toMatch(/end_date/);
    const status = await getJson(`/requests.json?api_key=${NANPUXI}&status=pending`);
    expect(status.status).toBe(400);
    expect(status.body[0].description).toMatch(/^status/);
  });

  it("then another township's request is 404, as if it did not exist", async () => {
    const other = await getJson(`/requests/${ids.luoyang}.json?api_key=${NANPUXI}`);
    expect(other.status).toBe(404);
    expect(other.body).toEqual([{ code: 404, description: expect.stringContaining(ids.luoyang) }]);
    expect((await getJson(`/requests/case-unknown.json?api_key=${NANPUXI}`)).status).toBe(404);
  });
});

describe('when a request is wrong', () => {
  it('then a missing service_code is a 400 that names it, in JSON and in XML', async () => {
    const { service_code: _, ...withoutCode } = report();
    const json = await postForm('/requests.json', withoutCode);
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text)).toEqual([{ code: 400, description: expect.stringContaining('service_code') }]);

    const xml = await postForm('/requests.xml', withoutCode);
    expect(xml.status).toBe(400);
    expect(rootOf(xml.text)).toBe('errors');
    expect(xmlItems(xml.text, 'error')).toEqual([
      { code: '400', description: expect.stringContaining('service_code') },
    ]);
  });

  it('then no location, or lat without long, is a 400 naming what is missing', async () => {
    const none = await postForm('/requests.json', report({ lat: '', long: '', address_string: '' }));
    expect(none.status).toBe(400);
    expect(JSON.parse(none.text)[0].description).toMatch(/address_string/);
    const half = await postForm('/requests.json', report({ long: '' }));
    expect(half.status).toBe(400);
    expect(JSON.parse(half.text)[0].description).toMatch(/^long/);
    const far = await postForm('/requests.json', report({ lat: '123' }));
    expect(JSON.parse(far.text)[0].description).toMatch(/^lat:/);
  });

  it('then a bad, missing or orphaned api_key is a 403 and nothing is raised', async () => {
    const inLuoyang = async () => ((await getJson(`/requests.json?api_key=${LUOYANG}`)).body as unknown[]).length;
    const before = await inLuoyang();
    for (const api_key of ['not-a-key-that-was-issued', '', DISABLED_ACCOUNT_KEY]) {
      const res = await postForm('/requests.json', report({ api_key }));
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    }
    // the key of the disabled Luoyang account would have raised there: once a request raised after
    // these shows up, only that one has been added
    await readBack(await raise({ api_key: LUOYANG }), LUOYANG);
    expect(await inLuoyang()).toBe(before + 1);
    const xml = await get('/requests.xml?api_key=wrong-key-wrong-key');
    expect(xml.status).toBe(403);
    expect(xmlItems(xml.text, 'error')[0]?.code).toBe('403');
  });

  it('then an unknown service is a 404', async () => {
    const res = await postForm('/requests.json', report({ service_code: 'NOPE-999' }));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)[0].description).toContain('NOPE-999');
  });

  it('then a body that is neither form nor JSON is a 400, and an unknown resource a 404 in the spec format', async () => {
    const text = await fetch(url('/requests.json'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'service_code=WJ-006',
    });
    expect(text.status).toBe(400);
    const unknown = await get('/tokens/123.xml');
    expect(unknown.status).toBe(404);
    expect(rootOf(unknown.text)).toBe('errors');
  });
});

describe('when the public follows a request without an api_key (GeoReport clients send the key only to post)', () => {
  it('then it reads the public view: service, status, dates, agency and a coarse location; no description, address or raiser', async () => {
    const id = await raise();
    const one = await eventually(async () => {
      const r = await getJson(`/requests/${id}.json`);
      expect(r.status).toBe(200);
      return (r.body as Record<string, unknown>[])[0]!;
    });
    expect(one).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'WJ-006',
      agency_responsible: 'dept-enforcement',
      requested_datetime: expect.any(String),
      lat: 27.54,
      long: 119.77,
    });
    const text = JSON.stringify(one);
    for (const secret of ['临时砖房', '下村 12 号', '李', 'grid-app-07', 'shed.jpg', 'acc-', 'tw-nanpuxi'])
      expect(text).not.toContain(secret);
    expect(Object.keys(one).sort()).toEqual(
      ['agency_responsible', 'expected_datetime', 'lat', 'long', 'requested_datetime', 'service_code', 'service_name']
        .concat(['service_request_id', 'status', 'status_notes', 'updated_datetime'])
        .sort(),
    );
    const listed = (await getJson('/requests.json')).body as { service_request_id: string; description?: string }[];
    expect(listed.map((r) => r.service_request_id)).toContain(id);
    expect(listed.every((r) => r.description === undefined)).toBe(true);
    // a key sent but wrong is refused, never read as the public
    expect((await get(`/requests/${id}.json?api_key=wrong-key-wrong-key`)).status).toBe(403);
  });

  it('then a county that switched the public view off answers 403 without a key', async () => {
    const app = createApp({
      temporal: harness.env.client,
      taskQueue: harness.stack.taskQueue,
      store: harness.db.connection,
      jwtSecret: TEST_JWT_SECRET,
      logger: createLogger('api-test', 'silent'),
      open311PublicView: false,
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`;
      expect((await fetch(`${base}/requests.json`)).status).toBe(403);
      expect((await fetch(`${base}/requests.json?api_key=${NANPUXI}`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
