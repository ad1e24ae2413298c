/**
 * `npm start`: the whole stack on one machine. Installs the servers on first run (with progress),
 * then starts Temporal's dev server and FerretDB on PostgreSQL (data in .data/, kept across restarts), the worker
 * and the API. Ctrl-C / SIGTERM stops every child. TEMPORAL_ADDRESS / MONGODB_URI use existing servers.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDashboard } from './dashboard';
import { mongoUri, startFerretDb } from './ferretdb';
import { localJwtSecret } from './jwt-secret';
import { seedDemoCounty } from './seed';
import { startService, type Service } from './service';
import { ensureTemporalCli } from './tools/install';
import { DATA_DIR, ROOT } from './tools/paths';

/**
 * Where the PostgreSQL cluster lives: `.data/postgresql`. As root, PostgreSQL runs as `postgres`,
 * which must reach that folder; a checkout it cannot reach (one under /root, mode 700) keeps its
 * cluster under /var/lib/whistle instead, one folder per checkout, kept across restarts.
 */
function clusterDir(): string {
  const inCheckout = join(DATA_DIR, 'postgresql');
  if (process.getuid?.() !== 0) return inCheckout;
  const reachable = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', DATA_DIR]).status === 0;
  if (reachable) return inCheckout;
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
  const outside = join('/var/lib/whistle', checkout);
  mkdirSync(outside, { recursive: true, mode: 0o755 });
  return join(outside, 'postgresql');
}

const say = (message: string) => process.stdout.write(`[start] ${message}\n`);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const services: Service[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping …');
    // API first (no new requests), then the worker, then the servers
    for (const service of [...services].reverse()) await service.stop();
    say('stopped');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stopAll(0));
  mkdirSync(DATA_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = { JWT_SECRET: localJwtSecret() };
  let temporalUi: string | undefined;

  if (process.env.TEMPORAL_ADDRESS) {
    say(`using Temporal at ${process.env.TEMPORAL_ADDRESS}`);
  } else {
    const cli = await ensureTemporalCli();
    const port = num('TEMPORAL_PORT', 7233);
    const uiPort = num('TEMPORAL_UI_PORT', 8233);
    say(`starting Temporal dev server on 127.0.0.1:${port} (data: .data/temporal.db)`);
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      `${port}`,
      '--ui-port',
      `${uiPort}`,
      '--db-filename',
      join(DATA_DIR, 'temporal.db'),
      '--log-level',
      'warn',
    ];
    services.push(await startService('temporal', cli, args, { port }));
    env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
    temporalUi = `http://127.0.0.1:${uiPort}`;
  }

  if (process.env.MONGODB_URI) {
    say('using the database at MONGODB_URI');
  } else {
    const port = num('FERRETDB_PORT', 27017);
    const cluster = clusterDir();
    say(`starting FerretDB on 127.0.0.1:${port} over PostgreSQL (data: ${cluster})`);
    services.push(await startFerretDb(port, cluster));
    env.MONGODB_URI = mongoUri(port);
  }

  await seedDemoCounty(env.MONGODB_URI ?? process.env.MONGODB_URI!, say);
  env.DASHBOARD_DIR = await ensureDashboard(say);

  const node = (entry: string): [string, string[]] => [process.execPath, ['--import', 'tsx', join(ROOT, entry)]];
  services.push(await startService('worker', ...node('worker/main.ts'), { cwd: ROOT, env }));
  const apiPort = num('PORT', 3000);
  services.push(
    await startService('api', ...node('api/main.ts'), {
      cwd: ROOT,
      env: { ...env, PORT: `${apiPort}` },
      port: apiPort,
    }),
  );

  for (const service of services) {
    void service.exited.then((code) => {
      if (stopping) return;
      say(`${service.name} exited unexpectedly (code ${code}); stopping the stack`);
      void stopAll(1);
    });
  }

  say('ready / 已就绪');
  say(`  Dashboard     http://127.0.0.1:${apiPort}/   (工作台; sign in with a token)`);
  say(`  API           http://127.0.0.1:${apiPort}/api/v1   (health: /healthz)`);
  if (temporalUi) say(`  Temporal UI   ${temporalUi}`);
  say('  token         npm run token -- --role township --org <townshipId>');
  say('  Ctrl-C stops everything');
}

main().catch(async (err) => {
  process.stderr.write(`[start] failed: ${(err as Error).message}\n`);
  await stopAll(1);
});
