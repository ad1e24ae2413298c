/**
 * Starts the project's FerretDB build: the MongoDB wire protocol on a loopback port, in front of a
 * private PostgreSQL cluster in `dataDir` (initialised on first start, reachable through a Unix
 * socket only, stopped with FerretDB, and by it if this process dies). See dev/ferretdb/main.go for
 * the pinned server settings and the GIN twins that let FerretDB's filters use the indexes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFerretDb } from './tools/install';
import { startService, type Service, type ServiceOptions } from './service';

/** Where Debian's (and Ubuntu's) postgresql packages put the server binaries, one folder a major version. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/**
 * The folder of the PostgreSQL server binaries (initdb, postgres, psql): `POSTGRES_BIN_DIR`, else
 * the newest `/usr/lib/postgresql/<major>/bin`.
 */
export function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  const candidates = fromEnv
    ? [fromEnv]
    : (existsSync(DEBIAN_PG_ROOT) ? readdirSync(DEBIAN_PG_ROOT) : [])
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(DEBIAN_PG_ROOT, v, 'bin'));
  const found = candidates.find((dir) => ['initdb', 'postgres'].every((b) => existsSync(join(dir, b))));
  if (found) return found;
  throw new Error(
    fromEnv
      ? `POSTGRES_BIN_DIR=${fromEnv} holds no initdb and postgres`
      : `no PostgreSQL server found in ${DEBIAN_PG_ROOT}/*/bin: install it with \`apt-get install postgresql\` ` +
          '(or set POSTGRES_BIN_DIR to the folder holding initdb and postgres)',
  );
}

export interface FerretDbOptions extends Pick<ServiceOptions, 'output'> {
  /** a throw-away cluster (tests, bench): fsync off */
  ephemeral?: boolean;
  /** folder for PostgreSQL's Unix socket, for callers that talk to PostgreSQL too (default: private) */
  socketDir?: string;
}

export async function startFerretDb(port: number, dataDir: string, options: FerretDbOptions = {}): Promise<Service> {
  const pgBin = postgresBinDir();
  const binary = await ensureFerretDb();
  const args = ['-listen', `127.0.0.1:${port}`, '-pg-bin', pgBin, '-pg-data', dataDir];
  if (options.socketDir) args.push('-pg-socket-dir', options.socketDir);
  if (options.ephemeral) args.push('-ephemeral');
  // FerretDB listens only once PostgreSQL is up and prepared
  return startService('ferretdb', binary, args, { port, output: options.output, readyTimeoutMs: 120_000 });
}

export const mongoUri = (port: number, db = 'whistle') => `mongodb://127.0.0.1:${port}/${db}`;

/** FerretDB keeps every MongoDB database as a schema of this PostgreSQL database. */
export const FERRETDB_PG_DATABASE = 'ferretdb';
