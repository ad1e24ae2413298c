/** Starts the project's FerretDB build (MongoDB wire protocol over SQLite files in `dir`). */
import { ensureFerretDb } from './tools/install';
import { startService, type Service, type ServiceOptions } from './service';

export async function startFerretDb(
  port: number,
  dir: string,
  options: Pick<ServiceOptions, 'output'> = {},
): Promise<Service> {
  const binary = await ensureFerretDb();
  return startService('ferretdb', binary, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { port, ...options });
}

export const mongoUri = (port: number, db = 'whistle') => `mongodb://127.0.0.1:${port}/${db}`;
