/**
 * Child processes of the local stack (servers, worker, API): spawned with prefixed output,
 * awaited on their port, and stopped with SIGTERM (SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitForPort } from './net';

export interface Service {
  name: string;
  process: ChildProcess;
  /** resolves when the process has exited */
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export interface ServiceOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** wait until this port accepts connections before returning */
  port?: number;
  /** where output lines go; default: this process' stderr with a `[name]` prefix */
  output?: ((line: string) => void) | 'ignore';
  readyTimeoutMs?: number;
}

export async function startService(
  name: string,
  command: string,
  args: string[],
  options: ServiceOptions = {},
): Promise<Service> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = options.output ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    if (output === 'ignore') stream?.resume();
    else if (stream) createInterface({ input: stream }).on('line', output);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failedToSpawn = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new Error(`${name}: ${err.message}`))),
  );

  const service: Service = {
    name,
    process: child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  if (options.port !== undefined) {
    const diedEarly = exited.then((code) => {
      throw new Error(`${name} exited (code ${code}) before listening on port ${options.port}`);
    });
    try {
      await Promise.race([
        waitForPort(options.port, '127.0.0.1', options.readyTimeoutMs ?? 60_000),
        diedEarly,
        failedToSpawn,
      ]);
    } catch (err) {
      await service.stop(1000);
      throw err;
    }
    diedEarly.catch(() => undefined);
  }
  failedToSpawn.catch(() => undefined);
  return service;
}
