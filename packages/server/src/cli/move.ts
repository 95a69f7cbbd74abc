/**
 * `tessera move --to postgres://…`: copies an embedded installation into PostgreSQL, verifies it,
 * and says which setting to change.
 *
 * When no server holds the embedded database, this process opens it (so nothing writes it
 * meanwhile) and copies it table by table in checkpointed chunks (storage/move): an interrupted
 * move resumes where it stopped, and every table's row count and checksum are compared on both
 * sides at the end. When a server holds it, the rows come as one consistent backup through the
 * server (which keeps serving) and are written in one transaction: such a move cannot resume, since
 * the server keeps writing, and an interrupted one leaves the target empty; the backup's own
 * per-table checksums and the row counts are verified.
 */
import type { Command } from 'commander';
import { loadConfig, redactUrl } from '../config.ts';
import { ErrorCode, TesseraError, invalidInput } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import { restoreBackup, refuseNonEmpty } from '../storage/backup/restore.ts';
import { ident } from '../storage/backup/tables.ts';
import {
  discardInterruptedMove,
  hasInterruptedMove,
  moveRows,
  type MoveRowsOptions,
  type MoveSummary,
} from '../storage/move/move.ts';
import { openDatabase } from '../storage/open.ts';
import { embeddedHolder, openBackupSource } from './backup.ts';
import { print, type CommonOptions } from './context.ts';
import { progressReporter, tableRows, type ProgressUpdate } from './progress.ts';

export interface MoveOptions extends Omit<MoveRowsOptions, 'onChunk'> {
  /** Told after each batch of rows written into the target. May throw to stop the move (tests). */
  onProgress?: (progress: ProgressUpdate) => void | Promise<void>;
}

export interface MoveResult extends MoveSummary {
  /** `direct`: checkpointed and resumable; `server`: through the running server, in one transaction. */
  via: 'direct' | 'server';
}

/**
 * Copies the installation at `from` into the PostgreSQL database `to` and verifies it.
 * @throws TesseraError CONFLICT when the target already holds Tessera data.
 * @example await moveInstallation('pglite:///var/lib/tessera/data', 'postgres://tessera@db/tessera');
 */
export async function moveInstallation(from: string, to: string, options: MoveOptions = {}): Promise<MoveResult> {
  if (!from.startsWith('pglite://')) throw invalidInput('tessera move copies an embedded database (pglite://DIR)');
  if (!/^postgres(ql)?:\/\//.test(to)) throw invalidInput('--to must be a postgres:// URL');
  const holder = embeddedHolder(from);
  // Every statement on the target is one chunk or range (bounded), but a busy server may be slow.
  const target = await openDatabase(to, { migrate: false, postgres: { maxConnections: 2, timeoutMs: 30_000 } });
  try {
    if (holder?.kind === 'server')
      return { ...(await moveThroughServer(from, target, holder.control.pid, options)), via: 'server' };
    // Opening it takes its lock: a process that holds it (or starts meanwhile) is refused with CONFLICT.
    const source = await openDatabase(from, { migrate: false });
    try {
      const summary = await moveRows(source, target, {
        ...options,
        onChunk: (p) => options.onProgress?.({ table: p.table, rows: p.rows, total: p.total, written: p.written }),
      });
      return { ...summary, via: 'direct' };
    } finally {
      await source.close();
    }
  } finally {
    await target.close();
  }
}

/** The rows as one backup stream from the running server, written in one transaction. */
async function moveThroughServer(
  from: string,
  target: Database,
  pid: number,
  options: MoveOptions,
): Promise<MoveSummary> {
  if (options.restart) await discardInterruptedMove(target);
  else if (await hasInterruptedMove(target)) {
    throw new TesseraError(
      ErrorCode.CONFLICT,
      `The target holds an interrupted move, which cannot resume while a Tessera server (pid ${pid}) holds the ` +
        'embedded database: stop the server and run `tessera move` again to resume it, or add --restart to start over',
    );
  }
  await refuseNonEmpty(target); // before asking the server for anything
  const source = await openBackupSource(from);
  let written = 0;
  const summary = await restoreBackup(target, source.stream, {
    source: 'the embedded database',
    onRows: tableRows((progress) => {
      written = progress.written;
      void options.onProgress?.(progress);
    }),
  }).catch(async (err: unknown) => {
    source.stream.destroy(); // stops the reading side too, and frees the embedded database
    await source.done.catch(() => {});
    throw err;
  });
  await source.done;
  for (const [table, sum] of Object.entries(summary.tables)) {
    const [row] = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(table)}`);
    if (row?.n !== sum.rows) {
      throw new TesseraError(
        ErrorCode.INTERNAL,
        `Table ${table} has ${row?.n} rows in the target after the move, ${sum.rows} in the source`,
      );
    }
  }
  const tables = Object.fromEntries(
    Object.entries(summary.tables).map(([t, s]) => [t, { rows: s.rows, sum: s.sha256 }]),
  );
  return { schemaVersion: summary.schemaVersion, tables, resumed: false, written };
}

export function moveCommand(program: Command): void {
  program
    .command('move')
    .description('copy this embedded installation into an empty PostgreSQL database, and verify it (resumable)')
    .requiredOption('--to <url>', 'the target: postgres://user:password@host/database')
    .option('--restart', 'discard an interrupted move in the target and start over')
    .option('--database-url <url>', 'the embedded database (env DATABASE_URL)')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & { to: string; restart?: boolean }) => {
      const config = loadConfig({ databaseUrl: opts.databaseUrl });
      const started = Date.now();
      const report = progressReporter();
      const summary = await moveInstallation(config.databaseUrl, opts.to, {
        restart: opts.restart ?? false,
        onProgress: report.update,
      }).finally(report.end);
      const rows = Object.values(summary.tables).reduce((n, t) => n + t.rows, 0);
      const seconds = (Date.now() - started) / 1000;
      const setting = `DATABASE_URL=${redactUrl(opts.to)}`;
      const result = { ...summary, rows, seconds, rowsPerSecond: Math.round(summary.written / seconds), setting };
      const verified =
        summary.via === 'direct' ? 'row counts and checksums of both sides' : 'row counts and the backup checksums';
      print(
        opts,
        result,
        () =>
          `Moved ${rows} rows of ${Object.keys(summary.tables).length} tables in ${seconds.toFixed(1)} s ` +
          `(${result.rowsPerSecond} rows/s${summary.resumed ? `, resumed: ${summary.written} rows copied by this run` : ''}); ` +
          `${verified} verified.\nNow set ${setting} (your password in place of ***) and restart the server.`,
      );
    });
}
