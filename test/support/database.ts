/** A private FerretDB per test file, on a free port, its SQLite files in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { mongoUri, startFerretDb } from '../../dev/ferretdb';
import { freePort } from '../../dev/net';
import { connectStore } from '../../store/connection';

export interface TestDatabase {
  uri: string;
  connection: Connection;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'whistle-ferretdb-'));
  const port = await freePort();
  const server = await startFerretDb(port, dir, { output: 'ignore' });
  const uri = mongoUri(port, 'whistle_test');
  const connection = await connectStore(uri);
  return {
    uri,
    connection,
    async stop() {
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
