/**
 * The bench's own stack, one OS process per part as `npm start` runs it, so each part's CPU and
 * memory can be read apart from /proc: the Temporal dev server (in memory), FerretDB on a
 * throw-away PostgreSQL cluster, the worker and the API (both `node --import tsx`, optionally with
 * `--cpu-prof`), and the bare-Temporal baseline's worker. Everything started here is stopped by
 * `stop()`, a failed start included.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongoUri, startFerretDb } from '../dev/ferretdb';
import { freePort } from '../dev/net';
import { startService, type Service } from '../dev/service';
import { ensureTemporalCli } from '../dev/tools/install';
import { ROOT } from '../dev/tools/paths';

export const TASK_QUEUE = 'bench-whistle';
export const BARE_TASK_QUEUE = 'bench-bare';

export interface StackOptions {
  jwtSecret: string;
  /** `node --cpu-prof` on the worker and the API, profiles written into this folder at exit */
  cpuProfileDir?: string;
  /** extra environment of the API and the worker (the drill SLA profile, log level) */
  env?: Record<string, string>;
}

export interface BenchStack {
  apiUrl: string;
  mongoUri: string;
  /** the MongoDB database the stack uses, and the folder of its PostgreSQL's Unix socket (bulk loads) */
  database: string;
  pgSocketDir: string;
  temporalAddress: string;
  /** the processes whose CPU and memory the bench reports, by name */
  processes(): Map<string, number[]>;
  stop(): Promise<void>;
}

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'whistle-bench-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user
  const started: Service[] = [];
  const stop = async () => {
    // API first (no new requests), then the workers, then the servers
    for (const s of [...started].reverse()) await s.stop(30_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [temporalPort, dbPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const database = 'bench';
    const uri = mongoUri(dbPort, database);
    const pgSocketDir = join(dir, 'socket');
    say('starting the Temporal dev server (in memory) and FerretDB on a throw-away PostgreSQL');
    const temporalArgs = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', `${temporalPort}`, '--headless'];
    started.push(
      await startService('temporal', await ensureTemporalCli(), [...temporalArgs, '--log-level', 'error'], {
        port: temporalPort,
        output: 'ignore',
      }),
    );
    started.push(
      await startFerretDb(dbPort, join(dir, 'pg'), { output: 'ignore', ephemeral: true, socketDir: pgSocketDir }),
    );

    const env = {
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: uri,
      TASK_QUEUE,
      JWT_SECRET: options.jwtSecret,
      // the bench is one account per role at full speed: no rate limit
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const profiling = options.cpuProfileDir;
    if (profiling) mkdirSync(profiling, { recursive: true });
    const node = (name: string, entry: string): [string, string[]] => [
      process.execPath,
      [
        // one folder a process: each of its threads (the main one, tsx's loader, workflow threads) writes its own file
        ...(profiling ? ['--cpu-prof', '--cpu-prof-dir', join(profiling, name)] : []),
        '--import',
        'tsx',
        join(ROOT, entry),
      ],
    ];
    const quiet = { cwd: ROOT, env, output: 'ignore' as const };
    say('starting the worker, the bare baseline worker and the API');
    started.push(await startService('worker', ...node('worker', 'worker/main.ts'), quiet));
    started.push(
      await startService('bare worker', ...node('bare-worker', 'bench/bare/worker.ts'), {
        ...quiet,
        env: { ...env, TASK_QUEUE: BARE_TASK_QUEUE },
      }),
    );
    started.push(
      await startService('api', ...node('api', 'api/main.ts'), {
        ...quiet,
        env: { ...env, PORT: `${apiPort}` },
        port: apiPort,
      }),
    );
    const byName = (name: string) => started.find((s) => s.name === name)!.process.pid!;
    return {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      mongoUri: uri,
      database,
      pgSocketDir,
      temporalAddress,
      processes: () =>
        new Map([
          ['api', [byName('api')]],
          ['worker', [byName('worker')]],
          ['bare worker', [byName('bare worker')]],
          ['temporal', [byName('temporal')]],
          ['ferretdb', [byName('ferretdb')]],
          ['postgresql', descendants(byName('ferretdb'))],
          ['bench driver', [process.pid]],
        ]),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A process's children's children …: FerretDB's PostgreSQL and its backends (Linux /proc, every thread's children). */
export function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}
