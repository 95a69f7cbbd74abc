/**
 * P6 `tessera backup --to FILE` and P7 `tessera move --to postgres://…`, each against PostgreSQL's
 * COPY of the same rows (B6, B7; bench/baselines/copy-all.ts), on a database of their own seeded
 * with `BENCH_BACKUP_EVENTS` events (bench/lib/seed.ts). The command is the real CLI as deployed
 * (packages/server/bin/tessera.js, the production build), a subprocess pinned to the server's core
 * like the baselines; only its flags are relied on. Measured in rounds, each round the baseline and
 * then the command; the round with the median ratio is reported.
 *
 * - P6 reads the bench's kind of database: PostgreSQL (`<BENCH_DATABASE_URL>_backup`) or PGlite.
 *   B6: `COPY … TO STDOUT` of every table read fully by one client (PGlite: `TO '/dev/blob'`).
 * - P7 moves an embedded (PGlite) installation into an empty PostgreSQL database
 *   (`BENCH_MOVE_DATABASE_URL`, dropped and recreated before every run). B7: `COPY … FROM STDIN`
 *   of the same rows into that database, migrated and empty, in one transaction.
 *
 * Rows per second count the rows of every table (events are nearly all of them); the command's
 * time is its process's wall time (Node's start included, ~0.2 s), the baseline's from opening the
 * database to its last row.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CopyRequest, CopyResult } from '../baselines/copy-all.ts';
import { openDirect, prepareDatabase } from '../lib/database.ts';
import { medianBy } from '../lib/median.ts';
import { tesseraBin } from '../lib/paths.ts';
import { run } from '../lib/processes.ts';
import { copyTables, countRows } from '../lib/tables.ts';
import { quietly, type Noise, type ScenarioContext } from './context.ts';

/** What P6 and P7 need of the bench (not the main database's seed). */
export type CopyContext = Pick<ScenarioContext, 'config' | 'databaseName' | 'log'>;

const copyScript = fileURLToPath(new URL('../baselines/copy-all.ts', import.meta.url));

/** A seeded database for P6/P7 and what it holds. */
export interface CopySource {
  url: string;
  kind: 'postgres' | 'pglite';
  /** PostgreSQL: the database's name (its backends are the bench's own CPU). */
  name: string | undefined;
  /** Rows of every table a backup copies, and their sum. */
  tables: Record<string, number>;
  rows: number;
}

/** Counts what a seeded database holds (opens it directly: no server may hold a PGlite directory). */
export async function describeSource(url: string, name: string | undefined): Promise<CopySource> {
  const db = await openDirect(url, { connections: 1 });
  try {
    const query = <Row>(sql: string, params?: unknown[]) => db.query<Row>(sql, params);
    const tables = await countRows(query, await copyTables(query));
    const rows = Object.values(tables).reduce((s, n) => s + n, 0);
    return { url, kind: db.kind, name, tables, rows };
  } finally {
    await db.close();
  }
}

/** One timed copy: the baseline or the command. */
export type CopyMeasured = Noise & {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** The backup file's size (P6) or the COPY text's (B6, B7), bytes. */
  bytes: number;
  /** The command's own figure (`--json` output's `seconds`) when it printed one, or the baseline's open time. */
  innerSeconds?: number;
  openSeconds?: number;
  /** `tessera move`'s own word for the way it took (`direct`, `server`), when its output has one. */
  via?: string;
};

export interface CopyRound {
  baseline: CopyMeasured;
  tessera: CopyMeasured;
}

/** Command rows/s ÷ baseline rows/s. */
export const copyRatio = (round: CopyRound): number => round.tessera.rowsPerSecond / round.baseline.rowsPerSecond;

/** The round whose ratio is the median. */
export const medianCopyRound = (rounds: readonly CopyRound[]): CopyRound => medianBy(rounds, copyRatio);

async function copyBaseline(
  ctx: CopyContext,
  request: CopyRequest,
  databaseName: string | undefined,
  before?: () => Promise<void>,
) {
  return quietly({ ...ctx, databaseName }, async () => {
    await before?.();
    const result = await run(process.execPath, ['--import', 'tsx', copyScript, JSON.stringify(request)], {
      core: ctx.config.serverCore,
    });
    const line = result.stdout.split('\n').find((l) => l.startsWith('COPY_RESULT '));
    if (result.code !== 0 || !line) throw new Error(`COPY baseline failed (exit ${result.code}):\n${result.stderr}`);
    const copy = JSON.parse(line.slice('COPY_RESULT '.length)) as CopyResult;
    return {
      rows: copy.rows,
      seconds: copy.seconds,
      rowsPerSecond: copy.rows / copy.seconds,
      bytes: copy.bytes,
      openSeconds: copy.openSeconds,
    };
  });
}

/** Runs `tessera …args --json` pinned to the server's core; its wall time. */
async function tessera(ctx: CopyContext, args: readonly string[]) {
  const started = process.hrtime.bigint();
  const result = await run(process.execPath, [tesseraBin, ...args, '--json'], { core: ctx.config.serverCore });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.code !== 0) {
    throw new Error(`tessera ${args[0]} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  }
  let inner: number | undefined;
  let via: string | undefined;
  try {
    const parsed = JSON.parse(result.stdout) as { seconds?: unknown; via?: unknown };
    if (typeof parsed.seconds === 'number') inner = parsed.seconds;
    if (typeof parsed.via === 'string') via = parsed.via; // which way `tessera move` took, if it says
  } catch {
    // The flags are the interface, not the output: the wall time is what counts.
  }
  return { seconds, inner, via, stdout: result.stdout };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const line = (m: CopyMeasured) =>
  `${fmt(m.rowsPerSecond)} rows/s (${fmt(m.rows)} rows in ${m.seconds.toFixed(2)} s, ${(m.bytes / 1e6).toFixed(0)} MB)`;

/**
 * P6 and B6 in rounds.
 * @example const rounds = await measureBackup(ctx, source);
 */
export async function measureBackup(ctx: CopyContext, source: CopySource): Promise<CopyRound[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-backup-'));
  const rounds: CopyRound[] = [];
  try {
    for (let i = 1; i <= ctx.config.rounds; i++) {
      const of = ctx.config.rounds > 1 ? ` (round ${i} of ${ctx.config.rounds})` : '';
      ctx.log(`B6 COPY TO of every table, ${source.kind}, 1 client${of} …`);
      const baseline = await copyBaseline(ctx, { mode: 'to', url: source.url }, source.name);
      ctx.log(`  B6: ${line(baseline)}`);
      ctx.log(`P6 tessera backup --to FILE, ${source.kind}${of} …`);
      const file = join(dir, `round-${i}.backup`);
      const measured = await quietly({ ...ctx, databaseName: source.name }, async () => {
        rmSync(file, { force: true });
        const ran = await tessera(ctx, ['backup', '--to', file, '--database-url', source.url]);
        const bytes = statSync(file).size;
        rmSync(file, { force: true });
        return {
          rows: source.rows,
          seconds: ran.seconds,
          rowsPerSecond: source.rows / ran.seconds,
          bytes,
          ...(ran.inner !== undefined && { innerSeconds: ran.inner }),
        };
      });
      ctx.log(
        `  P6: ${line(measured)}` +
          (measured.innerSeconds !== undefined ? `; ${measured.innerSeconds.toFixed(2)} s by its own count` : ''),
      );
      const round = { baseline, tessera: measured };
      ctx.log(`  P6: ${copyRatio(round).toFixed(2)}× B6`);
      rounds.push(round);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rounds;
}

/** Drops and recreates the target; with `migrated`, migrates it with `tessera migrate` (not timed). */
async function freshTarget(ctx: CopyContext, targetUrl: string, migrated: boolean) {
  const target = await prepareDatabase(targetUrl);
  if (migrated) await tessera(ctx, ['migrate', '--database-url', targetUrl]);
  // Start every run right after a checkpoint, with nothing left to write from the previous one.
  const db = await openDirect(targetUrl, { connections: 1 });
  try {
    await db.query('CHECKPOINT');
  } finally {
    await db.close();
  }
  return target;
}

/**
 * P7 and B7 in rounds. The source must be a PGlite installation no server holds.
 * @example const rounds = await measureMove(ctx, source, 'postgres://postgres@127.0.0.1:5432/bench_tessera_move');
 */
export async function measureMove(ctx: CopyContext, source: CopySource, targetUrl: string): Promise<CopyRound[]> {
  if (source.kind !== 'pglite') throw new Error('tessera move copies an embedded (PGlite) installation');
  const targetName = decodeURIComponent(new URL(targetUrl).pathname.slice(1));
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-move-'));
  const rounds: CopyRound[] = [];
  let target: Awaited<ReturnType<typeof prepareDatabase>> | undefined;
  try {
    for (let i = 1; i <= ctx.config.rounds; i++) {
      const of = ctx.config.rounds > 1 ? ` (round ${i} of ${ctx.config.rounds})` : '';
      ctx.log(`B7 COPY FROM STDIN of every table into PostgreSQL, 1 transaction${of} …`);
      const baseline = await copyBaseline(
        ctx,
        { mode: 'from', source: source.url, target: targetUrl, dir: join(dir, `b7-${i}`) },
        targetName,
        // Before every attempt (a disturbed one is repeated): an empty, migrated target.
        async () => void (target = await freshTarget(ctx, targetUrl, true)),
      );
      if (baseline.rows !== source.rows) throw new Error(`B7 copied ${baseline.rows} rows of ${source.rows}`);
      ctx.log(`  B7: ${line(baseline)}`);

      ctx.log(`P7 tessera move --to postgres://…${of} …`);
      const measured = await quietly({ ...ctx, databaseName: targetName }, async () => {
        target = await freshTarget(ctx, targetUrl, false);
        const ran = await tessera(ctx, ['move', '--to', targetUrl, '--database-url', source.url]);
        return {
          rows: source.rows,
          seconds: ran.seconds,
          rowsPerSecond: source.rows / ran.seconds,
          bytes: 0,
          ...(ran.inner !== undefined && { innerSeconds: ran.inner }),
          ...(ran.via !== undefined && { via: ran.via }),
        };
      });
      // The command verifies its counts itself; this checks that it did move the seeded rows.
      const moved = await describeSource(targetUrl, targetName);
      if (moved.rows !== source.rows)
        throw new Error(`P7 left ${moved.rows} rows in the target, ${source.rows} seeded`);
      ctx.log(
        `  P7: ${fmt(measured.rowsPerSecond)} rows/s (${fmt(measured.rows)} rows in ${measured.seconds.toFixed(2)} s` +
          (measured.innerSeconds !== undefined ? `, ${measured.innerSeconds.toFixed(2)} s by its own count` : '') +
          (measured.via !== undefined ? `, via ${measured.via})` : ')'),
      );
      const round = { baseline, tessera: measured };
      ctx.log(`  P7: ${copyRatio(round).toFixed(2)}× B7`);
      rounds.push(round);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await target?.drop();
  }
  return rounds;
}
