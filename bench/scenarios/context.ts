/** What every scenario gets: the settings, the seeded data, the server's URL and a progress log. */
import { randomUUID } from 'node:crypto';
import type { BenchConfig } from '../config.ts';
import { watchCommits, type CommitStats } from '../lib/commits.ts';
import { waitForQuiet, watchInterference, type Interference } from '../lib/interference.ts';
import type { Seeded } from '../lib/seed.ts';
import { warmThenMeasure, type Hooks, type WrkOptions, type WrkResult } from '../lib/wrk.ts';
import { ID_PLACEHOLDER } from '../workload.ts';

export interface ScenarioContext {
  config: BenchConfig;
  seeded: Seeded;
  /** The PostgreSQL database's name (its backends count as the bench's own CPU), if any. */
  databaseName: string | undefined;
  /** The database URL when it is PostgreSQL, which can be watched while the server runs. */
  postgresUrl: string | undefined;
  log: (line: string) => void;
}

/** How quiet the machine was: busy share before the run, other processes' CPU during it. */
export interface Noise {
  busyBefore: number;
  interference: Interference;
}

/** Other processes using this many cores during a run make it "disturbed": it is measured again. */
export const DISTURBED_CORES = 0.1;

/**
 * Waits for a quiet machine, then runs `measure` while counting other processes' CPU; a disturbed
 * run is repeated (`BENCH_RETRIES` times at most) and the last one is kept, marked.
 * @example const measured = await quietly(ctx, () => runSomething()); measured.interference.otherCores
 */
export async function quietly<T>(
  ctx: Pick<ScenarioContext, 'config' | 'databaseName' | 'log'>,
  measure: () => Promise<T>,
): Promise<T & Noise> {
  for (let attempt = 1; ; attempt++) {
    const busyBefore = await waitForQuiet({ maxSeconds: ctx.config.quietWaitSeconds, log: ctx.log });
    const watch = watchInterference(ctx.databaseName);
    const result = await measure();
    const interference = watch.stop();
    if (interference.otherCores >= 0.05) {
      const top = interference.top.map((o) => `${o.name} ${o.cores.toFixed(2)}`).join('; ');
      ctx.log(`  other processes used ${interference.otherCores.toFixed(2)} cores meanwhile (${top})`);
    }
    if (interference.otherCores < DISTURBED_CORES || attempt > ctx.config.retries) {
      return { ...result, busyBefore, interference };
    }
    ctx.log(`  disturbed: measuring again (retry ${attempt} of ${ctx.config.retries})`);
  }
}

/** A wrk result with the noise around it, and on PostgreSQL how writes coalesced into commits. */
export type Measured = WrkResult & Noise & { commits?: CommitStats };

/** Load options minus what the context decides (core, duration). */
export type LoadSpec = Omit<WrkOptions, 'core' | 'durationSeconds' | 'connections'> & {
  connections?: number;
  /** Count PostgreSQL commits during the run (for the server's writes). Default false. */
  watchCommits?: boolean;
};

/**
 * Sends one request first (a clear error beats a run of failures), then warm-up and measured wrk runs.
 * @example const result = await load(ctx, { url, method: 'POST', path: '/graphql', requests, expect: '"success":true' });
 */
export async function load(ctx: ScenarioContext, spec: LoadSpec, during?: Hooks): Promise<Measured> {
  await probe(spec);
  let commits: CommitStats | undefined;
  let watch: Awaited<ReturnType<typeof watchCommits>> | undefined;
  const postgresUrl = spec.watchCommits ? ctx.postgresUrl : undefined;
  const hooks: Hooks = {
    start: async () => {
      if (postgresUrl) watch = await watchCommits(postgresUrl);
      await during?.start();
    },
    stop: async () => {
      await during?.stop();
      commits = await watch?.stop();
    },
  };
  const result = await quietly(ctx, async () => ({
    ...(await warmThenMeasure(
      { ...spec, connections: spec.connections ?? ctx.config.connections, core: ctx.config.loadCore },
      ctx.config.warmupSeconds,
      ctx.config.durationSeconds,
      hooks,
    )),
    ...(commits && { commits }),
  }));
  if (result.bad > 0 || result.errors > 0) {
    ctx.log(`  warning: ${result.bad} bad answers, ${result.errors} socket errors; first: ${result.firstBad}`);
  }
  return result;
}

/** How long the probe retries a server that sheds load (503 / UNAVAILABLE) just after its start. */
const PROBE_PATIENCE_MS = 15_000;

async function probe(spec: LoadSpec): Promise<void> {
  const first = spec.requests[0];
  if (!first) throw new Error('no requests');
  const deadline = Date.now() + PROBE_PATIENCE_MS;
  for (;;) {
    const body =
      spec.method === 'GET' ? undefined : first.body.replaceAll(ID_PLACEHOLDER, () => `probe-${randomUUID()}`);
    const res = await fetch(`${spec.url}${spec.path}`, { method: spec.method, headers: first.headers, body });
    const text = await res.text();
    if (res.status === 200 && text.includes(spec.expect)) return;
    // A server that has just started may still be catching up (its event-loop lag check sheds load).
    const shedding = res.status === 503 || text.includes('"code":"UNAVAILABLE"');
    if (!shedding || Date.now() > deadline) {
      throw new Error(`${spec.method} ${spec.path} answered ${res.status} ${text.slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
