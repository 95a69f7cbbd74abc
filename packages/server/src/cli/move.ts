/**
 * `tessera move --to postgres://…`: copies an embedded installation into PostgreSQL. The rows come
 * as a backup stream (through the running server, if one holds the embedded database) and go
 * into the target as a restore does: the target is migrated first, must hold no Tessera data,
 * and is written in one transaction, so an interrupted move leaves it empty and simply runs again.
 * Afterwards every table's row count in the target is checked against the source's.
 */
import type { Command } from 'commander';
import { loadConfig, redactUrl } from '../config.ts';
import { ErrorCode, TesseraError, invalidInput } from '../errors.ts';
import { restoreBackup, type RestoreSummary } from '../storage/backup/restore.ts';
import { ident } from '../storage/backup/tables.ts';
import { openDatabase } from '../storage/open.ts';
import { openBackupSource } from './backup.ts';
import { print, type CommonOptions } from './context.ts';

export interface MoveOptions {
  /** Told after each batch of rows written into the target. */
  onRows?: (table: string, rowsSoFar: number) => void;
}

/**
 * Copies the installation at `from` into the PostgreSQL database `to` and verifies it.
 * @throws TesseraError CONFLICT when the target already holds Tessera data.
 * @example await moveInstallation('pglite:///var/lib/tessera/data', 'postgres://tessera@db/tessera');
 */
export async function moveInstallation(from: string, to: string, options: MoveOptions = {}): Promise<RestoreSummary> {
  if (!from.startsWith('pglite://')) throw invalidInput('tessera move copies an embedded database (pglite://DIR)');
  if (!/^postgres(ql)?:\/\//.test(to)) throw invalidInput('--to must be a postgres:// URL');
  const target = await openDatabase(to, { migrate: false, postgres: { maxConnections: 2 } });
  try {
    const source = await openBackupSource(from);
    let summary: RestoreSummary;
    try {
      summary = await restoreBackup(target, source.stream, { source: 'the embedded database', ...options });
    } catch (err) {
      source.stream.destroy(); // stops the reading side too, and frees the embedded database
      await source.done.catch(() => {});
      throw err;
    }
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
    return summary;
  } finally {
    await target.close();
  }
}

export function moveCommand(program: Command): void {
  program
    .command('move')
    .description('copy this embedded installation into an empty PostgreSQL database, and verify it')
    .requiredOption('--to <url>', 'the target: postgres://user:password@host/database')
    .option('--database-url <url>', 'the embedded database (env DATABASE_URL)')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & { to: string }) => {
      const config = loadConfig({ databaseUrl: opts.databaseUrl });
      const started = Date.now();
      const report = progress();
      const summary = await moveInstallation(config.databaseUrl, opts.to, { onRows: report.onRows }).finally(
        report.end,
      );
      const rows = Object.values(summary.tables).reduce((n, t) => n + t.rows, 0);
      const setting = `DATABASE_URL=${redactUrl(opts.to)}`;
      const result = { ...summary, rows, seconds: (Date.now() - started) / 1000, setting };
      print(
        opts,
        result,
        () =>
          `Moved ${rows} rows of ${Object.keys(summary.tables).length} tables in ${result.seconds.toFixed(1)} s, ` +
          `counts and checksums verified.\nNow set ${setting} (your password in place of ***) and restart the server.`,
      );
    });
}

/** Rows copied per table on stderr: one updating line on a terminal, a line per table otherwise. */
function progress(): { onRows(table: string, rows: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  let current = '';
  let last = 0;
  const finishLine = () => {
    if (current !== '') process.stderr.write(tty ? '\n' : `${current}: ${last} rows copied\n`);
  };
  return {
    onRows(table, rows) {
      if (table !== current) {
        finishLine();
        current = table;
      }
      last = rows;
      if (tty) process.stderr.write(`\r${table}: ${rows} rows copied`);
    },
    end: finishLine,
  };
}
