/**
 * A private database per test file: FerretDB on a free port in front of its own throw-away
 * PostgreSQL cluster in a temp folder (about 1.5 s to initialise and start). `sql` asks PostgreSQL
 * itself, for tests about what the database does underneath (which indexes a query used).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { FERRETDB_PG_DATABASE, mongoUri, postgresBinDir, startFerretDb } from '../../dev/ferretdb';
import { freePort } from '../../dev/net';
import { connectStore } from '../../store/connection';

export interface TestDatabase {
  uri: string;
  connection: Connection;
  /** MongoDB's database name, FerretDB's schema in PostgreSQL */
  name: string;
  /** the folder of PostgreSQL's Unix socket */
  socketDir: string;
  /** runs SQL through psql on PostgreSQL's socket; rows as arrays of strings */
  sql(query: string): Promise<string[][]>;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'whistle-db-'));
  // as root, PostgreSQL runs as the postgres user: it must be able to enter the folder
  chmodSync(dir, 0o755);
  const socketDir = join(dir, 'socket');
  const port = await freePort();
  const server = await startFerretDb(port, join(dir, 'pg'), { output: 'ignore', ephemeral: true, socketDir });
  const name = 'whistle_test';
  const uri = mongoUri(port, name);
  const connection = await connectStore(uri);
  const psql = join(postgresBinDir(), 'psql');
  return {
    uri,
    connection,
    name,
    socketDir,
    async sql(query) {
      const { stdout } = await promisify(execFile)(psql, [
        '-h',
        socketDir,
        '-U',
        'postgres',
        '-d',
        FERRETDB_PG_DATABASE,
        '-X',
        '-A',
        '-t',
        '-F',
        '\t',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        query,
      ]);
      return stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t'));
    },
    async stop() {
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
