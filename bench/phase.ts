/** A phase of the bench: `n` cases, `c` at a time, timed per endpoint, with each process's CPU and memory. */
import { measureUsage, type Usage } from './probe';
import type { BenchStack } from './stack';
import { runPool, StepTimer, summarise, type Summary } from './stats';

export interface PhaseResult extends Usage {
  cases: number;
  seconds: number;
  casesPerSecond: number;
  /** latency by endpoint (HTTP) or by its bare counterpart (Update, Query) */
  steps: Record<string, Summary>;
}

/** Runs `n` cases, `c` at a time, and measures them. */
export async function phase(
  stack: BenchStack,
  n: number,
  c: number,
  oneCase: (t: StepTimer, i: number) => Promise<unknown>,
): Promise<PhaseResult> {
  const timer = new StepTimer();
  const start = performance.now();
  const { usage } = await measureUsage(
    () => stack.processes(),
    () => runPool(n, c, (i) => oneCase(timer, i).then(() => {})),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    cases: n,
    seconds: Math.round(seconds * 100) / 100,
    casesPerSecond: Math.round((n / seconds) * 10) / 10,
    steps: Object.fromEntries([...timer.samples].map(([k, v]) => [k, summarise(v)])),
    ...usage(n),
  };
}
