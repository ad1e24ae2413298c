/**
 * CPU time and memory of each process of the stack, read from Linux /proc while a phase runs:
 * CPU seconds (user + system, with reaped children's for process trees such as PostgreSQL's) at
 * the start and the end, peak resident memory sampled every 200 ms (proportional set size for
 * trees, so PostgreSQL's shared buffers count once).
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** utime + stime (+ cutime + cstime of reaped children, with `reaped`), in seconds. */
function cpuOf(pid: number, reaped: boolean): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = [11, 12, ...(reaped ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function kibFrom(file: string, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process's resident memory (one pid) or a tree's proportional memory (several), in MiB. */
function memoryMiB(pids: number[]): number {
  const kib =
    pids.length === 1
      ? kibFrom(`/proc/${pids[0]}/status`, 'VmRSS')
      : pids.reduce((sum, pid) => sum + kibFrom(`/proc/${pid}/smaps_rollup`, 'Pss'), 0);
  return Math.round(kib / 1024);
}

export interface Usage {
  /** CPU milliseconds per case, by process */
  cpuMsPerCase: Record<string, number>;
  /** peak resident memory, MiB, by process */
  peakRssMiB: Record<string, number>;
}

/** Measures the processes `processes()` names (re-read at each sample: a tree's members change). */
export async function measureUsage<T>(
  processes: () => Map<string, number[]>,
  fn: () => Promise<T>,
): Promise<{ result: T; usage: (cases: number) => Usage }> {
  const cpu = () =>
    new Map(
      [...processes()].map(([name, pids]) => [name, pids.reduce((s, pid) => s + cpuOf(pid, pids.length > 1), 0)]),
    );
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, pids] of processes()) peak[name] = Math.max(peak[name] ?? 0, memoryMiB(pids));
  };
  const before = cpu();
  sample();
  const timer = setInterval(sample, 200);
  try {
    const result = await fn();
    sample();
    const after = cpu();
    return {
      result,
      usage: (cases) => ({
        cpuMsPerCase: Object.fromEntries(
          [...after].map(([name, s]) => [name, round1(((s - (before.get(name) ?? 0)) * 1000) / cases)]),
        ),
        peakRssMiB: { ...peak },
      }),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Memory now, MiB, by process. */
export function memoryNow(processes: Map<string, number[]>): Record<string, number> {
  return Object.fromEntries([...processes].map(([name, pids]) => [name, memoryMiB(pids)]));
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
