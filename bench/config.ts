/** The bench's settings, read once from the `BENCH_*` environment variables into a frozen object. */

export type ScenarioId = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7' | 'P8';
export const scenarioIds: readonly ScenarioId[] = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'];
/** The scenarios that measure the running server (P6 and P7 run the `tessera` command instead). */
export const serverScenarioIds: readonly ScenarioId[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

export interface BenchConfig {
  /** `BENCH_DATABASE_URL` (postgres://…/bench_…); undefined: embedded PGlite in a temporary directory. */
  readonly databaseUrl: string | undefined;
  /** Seconds of each measured run. `BENCH_DURATION`; default 10. */
  readonly durationSeconds: number;
  /** Seconds of load before each measured run, not counted. `BENCH_WARMUP`; default 3. */
  readonly warmupSeconds: number;
  /** Concurrent connections of the throughput runs. `BENCH_CONNECTIONS`; default 50. */
  readonly connections: number;
  /** Events seeded for the timeline read (P5). `BENCH_SEED_EVENTS`; default 1,000,000. */
  readonly seedEvents: number;
  /**
   * Events seeded into the separate databases that P6 (backup) and P7 (move) copy.
   * `BENCH_BACKUP_EVENTS`; default 1,000,000 (e.g. 100000 for a quick run).
   */
  readonly backupEvents: number;
  /**
   * The empty PostgreSQL database P7 moves into (and B7 copies into): dropped and recreated before
   * every run, so its name must start with `bench`. `BENCH_MOVE_DATABASE_URL`; default
   * `BENCH_DATABASE_URL`'s database with `_move` appended; without either, P7 is skipped.
   */
  readonly moveDatabaseUrl: string | undefined;
  /** Scenarios to run, e.g. `BENCH_ONLY=P1,P3`; default all. Their baselines run with them. */
  readonly only: ReadonlySet<ScenarioId>;
  /** Before each run, wait at most this long for other work on the machine to stop. `BENCH_QUIET_WAIT`; default 60. */
  readonly quietWaitSeconds: number;
  /** Runs disturbed by other processes are measured again this many times. `BENCH_RETRIES`; default 1. */
  readonly retries: number;
  /**
   * Rounds of B1, P1 and P2 measured back to back, and on PostgreSQL of B5 and P5; also of B6/P6,
   * B7/P7, and of P8's off/on pairs. The round with the median ratio is reported.
   * `BENCH_ROUNDS`; default 3. (This machine's speed drifts by tens of per cent within minutes.)
   */
  readonly rounds: number;
  /** Keep the bench database (or PGlite directory) afterwards. `BENCH_KEEP_DATABASE=1`; default off. */
  readonly keepDatabase: boolean;
  /** Run the server under `node --cpu-prof`, profiles into bench/results. `BENCH_CPU_PROF=1`. */
  readonly cpuProfile: boolean;
  /** Core of the server and of every baseline process (`taskset`). */
  readonly serverCore: number;
  /** Core of wrk and of this orchestrating process. */
  readonly loadCore: number;
}

/**
 * @example loadBenchConfig({ BENCH_DURATION: '5', BENCH_ONLY: 'P1' })
 */
export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const number = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const only = (env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  for (const id of only) {
    if (!scenarioIds.includes(id as ScenarioId)) throw new Error(`BENCH_ONLY: unknown scenario "${id}"`);
  }
  return Object.freeze({
    databaseUrl: env.BENCH_DATABASE_URL || undefined,
    durationSeconds: number('BENCH_DURATION', 10, 1),
    warmupSeconds: number('BENCH_WARMUP', 3, 0),
    connections: number('BENCH_CONNECTIONS', 50, 1),
    seedEvents: number('BENCH_SEED_EVENTS', 1_000_000, 10_000),
    backupEvents: number('BENCH_BACKUP_EVENTS', 1_000_000, 1000),
    moveDatabaseUrl: env.BENCH_MOVE_DATABASE_URL || withSuffix(env.BENCH_DATABASE_URL, '_move'),
    only: new Set(only.length > 0 ? (only as ScenarioId[]) : scenarioIds),
    quietWaitSeconds: number('BENCH_QUIET_WAIT', 60, 0),
    retries: number('BENCH_RETRIES', 1, 0),
    rounds: number('BENCH_ROUNDS', 3, 1),
    keepDatabase: env.BENCH_KEEP_DATABASE === '1',
    cpuProfile: env.BENCH_CPU_PROF === '1',
    serverCore: 0,
    loadCore: 1,
  });
}

/** The URL with `suffix` appended to its database name, e.g. …/bench_tessera → …/bench_tessera_move. */
export function withSuffix(url: string | undefined, suffix: string): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname}${suffix}`;
  return parsed.toString();
}
