/**
 * The web dashboard's build (web/ → .web-dist/, git-ignored), by vite in a child process. Skipped
 * when the sources, the build config and the locked versions are what the last build was made from
 * (a hash of them is kept beside the output), so `npm start` and the browser tests pay for it once.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './tools/paths';

export const DASHBOARD_DIR = join(ROOT, '.web-dist');
const SOURCES = join(ROOT, 'web');
const STAMP = join(DASHBOARD_DIR, '.source-hash');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}

/** What the build is made from: every file under web/ (name and content) and the lockfile. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const path of [...files(SOURCES), join(ROOT, 'package-lock.json')])
    hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path));
  return hash.digest('hex');
}

/** Builds the dashboard unless the last build is of the same sources; returns the folder to serve. */
export async function ensureDashboard(say: (message: string) => void = () => {}): Promise<string> {
  const wanted = sourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return DASHBOARD_DIR;
  say('building the web dashboard (web/ → .web-dist/) …');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(SOURCES, 'vite.config.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b: Buffer) => output.push(b));
    child.stderr.on('data', (b: Buffer) => output.push(b));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`the dashboard build failed (exit ${code}):\n${Buffer.concat(output).toString()}`);
  writeFileSync(STAMP, wanted);
  return DASHBOARD_DIR;
}

if (require.main === module) {
  ensureDashboard((m) => process.stdout.write(`${m}\n`)).then(
    (dir) => process.stdout.write(`dashboard: ${relative(ROOT, dir)}/\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
