/** Latency percentiles and a bounded-concurrency runner for the benchmark. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await task(next++);
  });
  await Promise.all(lanes);
}

/** Times each named step of one case. */
export class StepTimer {
  readonly samples = new Map<string, number[]>();
  async time<T>(step: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await fn();
    const list = this.samples.get(step) ?? [];
    list.push(performance.now() - start);
    this.samples.set(step, list);
    return result;
  }
}
