/**
 * The whole service as separate OS processes, each restartable on the same port and data, for
 * fault tests: the Temporal CLI dev server persisting to a file, FerretDB on its SQLite folder, the
 * worker and the API as `npm start` runs them. Killing the database kills FerretDB, which takes its
 * PostgreSQL down with it. Every process started here is stopped by `stopAll`.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerretDb, mongoUri } from '../../dev/ferretdb';
import { freePort } from '../../dev/net';
import { startService, type Service } from '../../dev/service';
import { ensureTemporalCli } from '../../dev/tools/install';
import { ROOT } from '../../dev/tools/paths';

export type Role = 'temporal' | 'database' | 'worker' | 'api';

export interface ProcessStack {
  apiUrl: string;
  mongoUri: string;
  temporalAddress: string;
  /** start (or start again, same port and data) one process */
  start(role: Role): Promise<void>;
  /** SIGKILL one process and wait until it is gone */
  kill(role: Role): Promise<void>;
  stopAll(): Promise<void>;
}

export async function startProcessStack(options: {
  jwtSecret: string;
  taskQueue: string;
  /** extra environment of the worker (webhook secrets, county offices' URLs) */
  workerEnv?: Record<string, string>;
  /** where the processes' output lines go (kept quiet by default) */
  output?: (role: Role, line: string) => void;
}): Promise<ProcessStack> {
  const dir = mkdtempSync(join(tmpdir(), 'whistle-faults-'));
  // as root, PostgreSQL runs as the postgres user: it must be able to enter the folder
  chmodSync(dir, 0o755);
  const [temporalPort, dbPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const uri = mongoUri(dbPort, 'whistle_faults');
  const cli = await ensureTemporalCli();
  const running = new Map<Role, Service>();
  const output = (role: Role) => (line: string) => options.output?.(role, line);
  const node = (entry: string) => [process.execPath, ['--import', 'tsx', join(ROOT, entry)]] as const;
  const common = {
    TEMPORAL_ADDRESS: temporalAddress,
    MONGODB_URI: uri,
    TASK_QUEUE: options.taskQueue,
    LOG_LEVEL: 'warn',
  };

  async function launch(role: Role): Promise<Service> {
    switch (role) {
      case 'temporal':
        return startService(
          'temporal',
          cli,
          [
            'server',
            'start-dev',
            '--ip',
            '127.0.0.1',
            '--port',
            `${temporalPort}`,
            '--headless',
            '--db-filename',
            join(dir, 'temporal.db'),
            '--log-level',
            'error',
          ],
          { port: temporalPort, output: output(role) },
        );
      case 'database':
        // FerretDB and the PostgreSQL cluster under it, whose data outlives the kill
        return startFerretDb(dbPort, join(dir, 'pg'), { output: output(role) });
      case 'api': {
        const [cmd, args] = node('api/main.ts');
        return startService('api', cmd, [...args], {
          cwd: ROOT,
          port: apiPort,
          env: { ...common, PORT: `${apiPort}`, JWT_SECRET: options.jwtSecret, RATE_LIMIT_PER_MINUTE: '100000' },
          output: output(role),
        });
      }
      case 'worker': {
        const [cmd, args] = node('worker/main.ts');
        let ready!: () => void;
        const up = new Promise<void>((resolve) => (ready = resolve));
        const worker = await startService('worker', cmd, [...args], {
          cwd: ROOT,
          env: { ...common, LOG_LEVEL: 'info', ...options.workerEnv },
          output: (line) => {
            if (line.includes('worker running')) ready();
            output(role)(line);
          },
        });
        await Promise.race([up, worker.exited.then((code) => Promise.reject(new Error(`worker exited with ${code}`)))]);
        return worker;
      }
    }
  }

  const stack: ProcessStack = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    mongoUri: uri,
    temporalAddress,
    async start(role) {
      running.set(role, await launch(role));
    },
    async kill(role) {
      const service = running.get(role);
      if (!service) return;
      running.delete(role);
      service.process.kill('SIGKILL');
      await service.exited;
    },
    async stopAll() {
      // the clients first, then what they depend on
      for (const role of ['api', 'worker', 'temporal', 'database'] as Role[]) {
        await running.get(role)?.stop(5_000);
        running.delete(role);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
