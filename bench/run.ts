/**
 * `npm run bench`: seeds a fresh database, measures the baselines and the Tessera server (each in its
 * own process pinned to core 0, wrk on core 1), prints goal / measured / ratio / pass-fail and writes
 * bench/results/latest.json. PostgreSQL with `BENCH_DATABASE_URL`, else PGlite. See docs/performance.md.
 */
import { loadBenchConfig, serverScenarioIds, withSuffix, type ScenarioId } from './config.ts';
import type { CommitStats } from './lib/commits.ts';
import { prepareDatabase, settle } from './lib/database.ts';
import { databaseSettings, machine } from './lib/environment.ts';
import type { LoopResult } from './lib/loop.ts';
import { resultsDir } from './lib/paths.ts';
import { pinSelf } from './lib/processes.ts';
import { evaluate, formatTable, writeReport, type Measurements } from './lib/report.ts';
import { seed, type Seeded } from './lib/seed.ts';
import { buildServer, startTessera } from './lib/tessera.ts';
import { ensureWrk, type WrkResult } from './lib/wrk.ts';
import { measureCommitLatency, measureCopy, measureTimelineQuery, measureUpsert } from './scenarios/baselines.ts';
import {
  copyRatio,
  describeSource,
  measureBackup,
  measureMove,
  medianCopyRound,
  type CopyRound,
  type CopySource,
} from './scenarios/backup.ts';
import { measureBatch } from './scenarios/batch.ts';
import type { ScenarioContext } from './scenarios/context.ts';
import { measureIdentify } from './scenarios/identify.ts';
import { limitsCpuDelta, limitsRatio, measureLimits, medianLimitsRound, type LimitsRound } from './scenarios/limits.ts';
import { measureTimeline, timelineRatio, type TimelineRound } from './scenarios/timeline.ts';
import { medianBy } from './lib/median.ts';
import {
  measureBareFastify,
  measureTokenTrack,
  measureVisitorTrack,
  medianRound,
  trackRatio,
  type TrackRound,
} from './scenarios/track.ts';
import { RUN_ID } from './workload.ts';

const config = loadBenchConfig();
const log = (line: string) => process.stdout.write(`${line}\n`);
// P2's goal is a ratio of P1, so P2 brings P1 along.
const want = (id: ScenarioId) => config.only.has(id) || (id === 'P1' && config.only.has('P2'));
// The scenarios that run a server on the bench database (P8 starts its own servers on it).
const serverWanted = serverScenarioIds.some(want);
const databaseWanted = serverWanted || want('P8');
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const latency = (l: { p50: number; p99: number }) => `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`;
const wrkLine = (r: WrkResult & { commits?: CommitStats }) =>
  `${fmt(r.rps)} req/s, ${latency(r.latencyMs)}` +
  (r.commits
    ? `; ${fmt(r.commits.commitsPerSecond)} commits/s, ${(r.rps / r.commits.commitsPerSecond).toFixed(1)} requests/commit`
    : '');
const loopLine = (r: LoopResult, unit: string) => `${fmt(r.perSecond)} ${unit}/s, ${latency(r.latencyMs)}`;

// Ctrl-C and SIGTERM still run the exit handlers that stop the children.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
pinSelf(config.loadCore);

const startedAt = new Date();
const wrkVersion = await ensureWrk(log);
buildServer(log);
const bench = await prepareDatabase(config.databaseUrl);
log(
  `Tessera bench on ${bench.kind} (${bench.label}): server and baselines on core ${config.serverCore}, ` +
    `wrk ${wrkVersion} on core ${config.loadCore}; ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s per run`,
);

// P6 and P7 copy databases of their own, dropped at the end.
const copySources: Array<{ drop(): Promise<void>; label: string }> = [];
try {
  let seeded: Seeded | undefined;
  if (databaseWanted) {
    log(`seeding: environment, 1000 visitors, ${fmt(config.seedEvents)} events`);
    seeded = await seed(bench, config.seedEvents, log);
  }
  const ctx: ScenarioContext | undefined = seeded && {
    config,
    seeded,
    databaseName: bench.name,
    postgresUrl: bench.kind === 'postgres' ? bench.url : undefined,
    log,
  };
  const m: Measurements = {};

  const rounds: TrackRound[] = [];
  const timeline: TimelineRound[] = [];
  if (ctx && serverWanted) {
    // Database baselines first, while no server runs (on PGlite they open its data directory).
    if (want('P1') || want('P3')) {
      log('B0 durable one-row commit, one client (context) …');
      m.B0 = await measureCommitLatency(ctx, bench.url);
      log(`  B0: ${loopLine(m.B0, 'commit')}`);
    }
    // Each baseline leaves the database settled (vacuumed, checkpointed) for the next run.
    if (want('P3')) {
      log('B3 COPY of 100-row batches, one client …');
      m.B3 = await measureCopy(ctx, bench.url);
      log(`  B3: ${fmt(m.B3.rowsPerSecond)} rows/s; ${loopLine(m.B3, 'COPY')}`);
    }
    if (want('P4')) {
      log('B4 pooled single-row account upsert, 50 loops …');
      m.B4 = await measureUpsert(ctx, bench.url);
      log(`  B4: ${loopLine(m.B4, 'upsert')}`);
    }
    // On PGlite B5 must run now, while no server holds the data directory; on PostgreSQL it runs in
    // rounds with P5 below.
    if (want('P5') && bench.kind === 'pglite') {
      log('B5 raw timeline query, one client …');
      m.B5 = await measureTimelineQuery(ctx, bench.url);
      log(`  B5: ${loopLine(m.B5, 'query')}`);
    }
    const server = await startTessera(config, bench.url);
    log(`Tessera server pid ${server.pid} at ${server.url}`);
    // Between server runs on PostgreSQL, settle what the last one wrote (autovacuum is off for the run).
    const between = async () => {
      if (bench.kind === 'postgres') await settle(bench.url);
    };
    try {
      for (let i = 1; want('P1') && i <= config.rounds; i++) {
        const of = config.rounds > 1 ? ` (round ${i} of ${config.rounds})` : '';
        log(`B1 bare Fastify POST route${of} …`);
        const B1 = await measureBareFastify(ctx);
        log(`  B1: ${wrkLine(B1)}`);
        await between();
        log(`P1 trackEvent, visitor${of} …`);
        const P1 = await measureVisitorTrack(ctx, server);
        log(
          `  P1: ${wrkLine(P1)}; RSS max ${(P1.rssMaxBytes / 2 ** 20).toFixed(0)} MiB; ${trackRatio({ B1, P1 }).toFixed(2)}× B1`,
        );
        let P2: TrackRound['P2'];
        if (want('P2')) {
          await between();
          log(`P2 trackEvent, identity token${of} …`);
          P2 = await measureTokenTrack(ctx, server);
          log(`  P2: ${wrkLine(P2)}; ${(P2.rps / P1.rps).toFixed(2)}× P1`);
        }
        rounds.push({ B1, P1, ...(P2 && { P2 }) });
      }
      if (rounds.length > 0) Object.assign(m, medianRound(rounds));
      if (want('P3')) {
        await between();
        log('P3 /v1/batch, 100 events per request …');
        m.P3 = await measureBatch(ctx, server);
        log(`  P3: ${fmt(m.P3.rowsPerSecond)} rows/s; ${wrkLine(m.P3)}`);
      }
      if (want('P4')) {
        await between();
        log('P4 identifyAccount …');
        m.P4 = await measureIdentify(ctx, server);
        log(`  P4: ${wrkLine(m.P4)}`);
      }
      // On PGlite one round, against the B5 measured before the server started.
      const timelineRounds = want('P5') ? (bench.kind === 'postgres' ? config.rounds : 1) : 0;
      for (let i = 1; i <= timelineRounds; i++) {
        const of = timelineRounds > 1 ? ` (round ${i} of ${timelineRounds})` : '';
        let B5 = m.B5;
        if (bench.kind === 'postgres') {
          log(`B5 raw timeline query, one client${of} …`);
          B5 = await measureTimelineQuery(ctx, bench.url);
          log(`  B5: ${loopLine(B5, 'query')}`);
        }
        if (!B5) throw new Error('B5 was not measured');
        log(`P5 admin timeline, c=1${of} …`);
        const P5 = await measureTimeline(ctx, server);
        log(`  P5: ${wrkLine(P5)}; ${timelineRatio({ B5, P5 }).toFixed(2)}× B5`);
        timeline.push({ B5, P5 });
      }
      if (timeline.length > 0) Object.assign(m, medianBy(timeline, timelineRatio));
    } finally {
      await server.stop();
      for (const file of server.profiles) log(`CPU profile: ${file}`);
    }
  }

  // P8 starts and stops servers of its own on the bench database, after the shared one stopped.
  let limits: LimitsRound[] = [];
  if (ctx && want('P8')) {
    limits = await measureLimits(ctx, bench.url);
    m.P8 = medianLimitsRound(limits);
  }

  // P6 and P7: `tessera backup` and `tessera move` of databases seeded for them, against COPY.
  const copyCtx = { config, databaseName: bench.name, log };
  const seedCopySource = async (kind: 'postgres' | 'pglite'): Promise<CopySource> => {
    const db = await prepareDatabase(kind === 'postgres' ? withSuffix(bench.url, '_backup') : undefined);
    copySources.push(db);
    log(`seeding ${db.label} for P6/P7: ${fmt(config.backupEvents)} events`);
    await seed(db, config.backupEvents, log);
    const source = await describeSource(db.url, db.name);
    const tables = Object.entries(source.tables)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${fmt(n)}`)
      .join(', ');
    log(`  ${fmt(source.rows)} rows: ${tables}`);
    return source;
  };
  let backupRounds: CopyRound[] = [];
  let moveRounds: CopyRound[] = [];
  let pgliteSource: CopySource | undefined;
  if (want('P6')) {
    const source = await seedCopySource(bench.kind);
    if (source.kind === 'pglite') pgliteSource = source;
    backupRounds = await measureBackup({ ...copyCtx, databaseName: source.name }, source);
    const shown = medianCopyRound(backupRounds);
    m.B6 = shown.baseline;
    m.P6 = shown.tessera;
  }
  const skipped: string[] = [];
  if (want('P7')) {
    if (config.moveDatabaseUrl) {
      pgliteSource ??= await seedCopySource('pglite');
      moveRounds = await measureMove(copyCtx, pgliteSource, config.moveDatabaseUrl);
      const shown = medianCopyRound(moveRounds);
      m.B7 = shown.baseline;
      m.P7 = shown.tessera;
    } else {
      skipped.push('P7');
      log('P7 skipped: it moves into PostgreSQL; set BENCH_MOVE_DATABASE_URL (or BENCH_DATABASE_URL)');
    }
  }

  // On PGlite without P1–P5/P8 the bench's own directory was never made: read a seeded one.
  const settingsUrl = databaseWanted || bench.kind === 'postgres' ? bench.url : pgliteSource?.url;
  const database = settingsUrl ? await databaseSettings(settingsUrl) : {};
  const rows = evaluate(m);
  const goals = rows.filter((r) => r.status !== 'baseline');
  const passed = goals.filter((r) => r.status === 'pass').length;
  log(
    `\nResults on ${bench.kind} ${database.serverVersion ?? ''}, synchronous_commit=${database.synchronousCommit}:\n`,
  );
  log(formatTable(rows));
  if (rounds.length > 1) {
    const ratios = rounds.map((r) => trackRatio(r).toFixed(2)).join(', ');
    log(`\nP1 ÷ B1 by round: ${ratios}; the table shows the median round (RSS: the largest of all rounds).`);
  }
  if (limits.length > 1) {
    log(
      `P8 (on ÷ off) by round: ${limits.map((r) => limitsRatio(r).toFixed(3)).join(', ')}; server CPU with them on: ` +
        `${limits.map((r) => `${limitsCpuDelta(r) >= 0 ? '+' : ''}${limitsCpuDelta(r).toFixed(1)}`).join(', ')} µs/request; the median round is shown.`,
    );
  }
  for (const [id, list] of [
    ['P6', backupRounds],
    ['P7', moveRounds],
  ] as const) {
    if (list.length > 1) {
      log(`${id} by round: ${list.map((r) => copyRatio(r).toFixed(2)).join(', ')}; the median round is shown.`);
    }
  }
  if (skipped.length > 0) log(`Skipped: ${skipped.join(', ')}.`);
  if (timeline.length > 1) {
    log(
      `P5 (B5 p50 ÷ P5 p50) by round: ${timeline.map((r) => timelineRatio(r).toFixed(2)).join(', ')}; the median round is shown.`,
    );
  }
  log(`\n${passed} of ${goals.length} goals pass.`);
  const files = writeReport(resultsDir, bench.kind, {
    runId: RUN_ID,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    database: { kind: bench.kind, ...database },
    machine: machine(wrkVersion),
    settings: {
      warmupSeconds: config.warmupSeconds,
      durationSeconds: config.durationSeconds,
      connections: config.connections,
      seedEvents: config.seedEvents,
      backupEvents: config.backupEvents,
      rounds: config.rounds,
      serverCore: config.serverCore,
      loadCore: config.loadCore,
    },
    ...(seeded && { seeded: { events: seeded.seededEvents, timelineEvents: seeded.timelineEvents } }),
    results: rows,
    trackRounds: rounds.map((r) => ({
      b1Rps: r.B1.rps,
      p1Rps: r.P1.rps,
      p1P99Ms: r.P1.latencyMs.p99,
      p1RatioToB1: trackRatio(r),
      ...(r.P2 && { p2Rps: r.P2.rps, p2RatioToP1: r.P2.rps / r.P1.rps }),
    })),
    limitsRounds: limits.map((r) => ({
      offRps: r.off.rps,
      onRps: r.on.rps,
      ratio: limitsRatio(r),
      offServerCpuUsPerRequest: r.off.serverCpuUsPerRequest,
      onServerCpuUsPerRequest: r.on.serverCpuUsPerRequest,
      offP99Ms: r.off.latencyMs.p99,
      onP99Ms: r.on.latencyMs.p99,
    })),
    backupRounds: backupRounds.map(copyRoundJson),
    moveRounds: moveRounds.map(copyRoundJson),
    skipped,
    timelineRounds: timeline.map((r) => ({
      b5P50Ms: r.B5.latencyMs.p50,
      p5P50Ms: r.P5.latencyMs.p50,
      ratio: timelineRatio(r),
    })),
    passed,
    goals: goals.length,
  });
  log(`Wrote ${files.join(', ')}`);
} finally {
  if (config.keepDatabase) log(`Kept the databases: ${[bench, ...copySources].map((d) => d.label).join(', ')}`);
  else for (const db of [bench, ...copySources]) await db.drop();
}

function copyRoundJson(r: CopyRound) {
  return {
    baselineRowsPerSecond: r.baseline.rowsPerSecond,
    baselineSeconds: r.baseline.seconds,
    tesseraRowsPerSecond: r.tessera.rowsPerSecond,
    tesseraSeconds: r.tessera.seconds,
    ...(r.tessera.innerSeconds !== undefined && { tesseraInnerSeconds: r.tessera.innerSeconds }),
    ...(r.tessera.via !== undefined && { via: r.tessera.via }),
    rows: r.tessera.rows,
    ratio: copyRatio(r),
  };
}
