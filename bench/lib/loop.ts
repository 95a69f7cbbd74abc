/** Runs an async operation in N concurrent loops for a warm-up and then a measured window; latency percentiles. */

export interface LoopResult {
  /** Operations completed in the measured window. */
  count: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p99: number; mean: number };
}

export interface LoopOptions {
  /** Loops running at once. */
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** One operation; `n` counts calls across all loops (for unique ids). */
  op: (n: number) => Promise<void>;
}

/**
 * @example const r = await timedLoop({ concurrency: 50, warmupSeconds: 3, durationSeconds: 10, op: upsertOne });
 */
export async function timedLoop(options: LoopOptions): Promise<LoopResult> {
  // Deadlines are checked by the loops themselves, not by timers: an embedded database (PGlite) may
  // settle its promises without ever returning to the event loop, so a timer would never fire.
  const now = () => process.hrtime.bigint();
  const measureFrom = now() + BigInt(Math.round(options.warmupSeconds * 1e9));
  const measureUntil = measureFrom + BigInt(Math.round(options.durationSeconds * 1e9));
  let calls = 0;
  const latencies: number[] = [];

  const loop = async () => {
    for (let start = now(); start < measureUntil; start = now()) {
      await options.op(calls++);
      const end = now();
      if (start >= measureFrom && end <= measureUntil) latencies.push(Number(end - start) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));

  // Operations that started and ended inside the window; at c loops, each loop loses at most one
  // operation at either edge.
  const seconds = options.durationSeconds;
  const count = latencies.length;
  latencies.sort((a, b) => a - b);
  return {
    count,
    seconds,
    perSecond: count / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      mean: latencies.reduce((s, x) => s + x, 0) / Math.max(1, count),
    },
  };
}

/** The p-th percentile (nearest rank) of sorted values; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
