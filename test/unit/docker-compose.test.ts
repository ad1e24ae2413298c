/** No Docker engine runs here: the production compose file is checked by parsing it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../dev/tools/paths';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  restart?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
// servers others wait on (the worker has no port; the UI nobody depends on)
const longRunning = ['postgresql', 'temporal', 'mongo', 'api'];

describe('when the production compose file is read', () => {
  it('then it has Temporal on PostgreSQL with its schema and namespace jobs, the UI, MongoDB, the API and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'mongo',
        'postgresql',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('then every image is an official one pinned to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect(`${name}: ${service.image}`).toMatch(/^[\w-]+: (postgres|mongo|temporalio\/[\w-]+):\d[\w.-]*$/);
    }
  });

  it('then servers start in order: schema before Temporal, Temporal and MongoDB healthy before the app', () => {
    expect(services['temporal-schema']!.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(services.temporal!.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    for (const app of ['api', 'worker']) {
      expect(services[app]!.depends_on).toEqual({
        'temporal-namespace': { condition: 'service_completed_successfully' },
        mongo: { condition: 'service_healthy' },
      });
    }
    for (const name of longRunning)
      expect(`${name}: ${services[name]!.healthcheck ? 'healthcheck' : 'none'}`).toBe(`${name}: healthcheck`);
  });

  it('then MongoDB is a single-node replica set and the app is wired to it and to Temporal', () => {
    expect(services.mongo!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    for (const app of ['api', 'worker']) {
      const env = services[app]!.environment!;
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.MONGODB_URI).toBe('mongodb://mongo:27017/whistle?replicaSet=rs0');
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/); // required from the environment, never a default
    }
    expect(services.api!.ports).toEqual(['3000:3000']);
    expect(services.postgresql!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('then the API and worker run the compiled entry points the Dockerfile builds', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    for (const dir of dockerfile.matchAll(/^COPY (\w+) \1$/gm)) expect(existsSync(join(ROOT, dir[1]!))).toBe(true);
    expect(services.api!.command).toEqual(['node', 'dist/api/main.js']);
    expect(services.worker!.command).toEqual(['node', 'dist/worker/main.js']);
    expect(existsSync(join(ROOT, 'api/main.ts')) && existsSync(join(ROOT, 'worker/main.ts'))).toBe(true);
  });
});
