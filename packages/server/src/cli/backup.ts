/**
 * `tessera backup --to FILE` and `tessera restore --from FILE`. A backup works while the server
 * runs: a server holding the embedded database writes it through its admin API (`POST
 * /admin/api/backup`); otherwise this process reads the database itself, in one read-only
 * snapshot. A restore needs the database to itself, and an empty one. Both show their progress
 * on stderr (a backup through a server: none).
 */
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadConfig, redactUrl } from '../config.ts';
import { ErrorCode, TesseraError, invalidInput } from '../errors.ts';
import { writeBackup } from '../storage/backup/write.ts';
import { restoreBackup } from '../storage/backup/restore.ts';
import { openDatabase } from '../storage/open.ts';
import { serverVersion } from '../version.ts';
import { print, type CommonOptions } from './context.ts';
import { progressReporter, tableRows } from './progress.ts';
import { holderOf } from './running-server.ts';

export function backupCommands(program: Command): void {
  program
    .command('backup')
    .description('write a consistent backup of every table to a file (works while the server runs)')
    .requiredOption('--to <file>', 'the backup file to write (gzip, format tessera.backup.v1)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & { to: string }) => {
      const config = loadConfig({ databaseUrl: opts.databaseUrl });
      const partial = `${opts.to}.partial`;
      const started = Date.now();
      const report = progressReporter();
      try {
        const source = await openBackupSource(config.databaseUrl, tableRows(report.update));
        await Promise.all([pipeline(source.stream, createWriteStream(partial)), source.done]);
        renameSync(partial, opts.to);
      } catch (err) {
        rmSync(partial, { force: true });
        throw err;
      } finally {
        report.end();
      }
      const result = { file: opts.to, seconds: (Date.now() - started) / 1000 };
      print(opts, result, () => `Wrote ${opts.to} in ${result.seconds.toFixed(1)} s.`);
    });

  program
    .command('restore')
    .description('restore a backup file into an empty database (stop the server first)')
    .requiredOption('--from <file>', 'the backup file (written by `tessera backup`)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & { from: string }) => {
      const config = loadConfig({ databaseUrl: opts.databaseUrl });
      const holder = embeddedHolder(config.databaseUrl);
      if (holder && holder.kind !== 'free') {
        const pid = holder.kind === 'server' ? holder.control.pid : holder.pid;
        throw new TesseraError(
          ErrorCode.CONFLICT,
          `The embedded database is in use by another Tessera process (pid ${pid}): stop it, then restore`,
        );
      }
      if (!existsSync(opts.from)) throw invalidInput(`${opts.from} does not exist`);
      const started = Date.now();
      const db = await openDatabase(config.databaseUrl, { migrate: false });
      const report = progressReporter();
      try {
        const summary = await restoreBackup(db, createReadStream(opts.from), {
          source: opts.from,
          onRows: tableRows(report.update),
        }).finally(report.end);
        const rows = Object.values(summary.tables).reduce((n, t) => n + t.rows, 0);
        const result = { ...summary, rows, seconds: (Date.now() - started) / 1000 };
        print(
          opts,
          result,
          () =>
            `Restored ${rows} rows of ${Object.keys(summary.tables).length} tables into ` +
            `${redactUrl(config.databaseUrl)} in ${result.seconds.toFixed(1)} s.`,
        );
      } finally {
        await db.close();
      }
    });
}

/**
 * A backup of the installation at `databaseUrl` as a stream: from the running server that holds
 * the embedded database (through its admin API), else read here in one read-only snapshot.
 * `done` settles when the whole file has been produced (and rejects when it could not be).
 */
export async function openBackupSource(
  databaseUrl: string,
  onRows?: (table: string, rowsSoFar: number) => void,
): Promise<{ stream: Readable; done: Promise<void> }> {
  const holder = embeddedHolder(databaseUrl);
  if (holder?.kind === 'busy') {
    throw new TesseraError(
      ErrorCode.CONFLICT,
      `The embedded database is in use by another Tessera process (pid ${holder.pid}) that does not accept ` +
        'commands (yet): retry in a moment',
    );
  }
  if (holder?.kind === 'server') {
    const { control } = holder;
    const res = await fetch(`${control.url}/admin/api/backup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}` },
    }).catch((err: unknown) => {
      throw new TesseraError(
        ErrorCode.UNAVAILABLE,
        `Cannot reach the Tessera server at ${control.url} (pid ${control.pid}) that holds the embedded database: ` +
          `${(err as Error).message}`,
      );
    });
    if (!res.ok || !res.body) {
      throw new TesseraError(
        ErrorCode.UNAVAILABLE,
        `The server at ${control.url} answered ${res.status} to the backup`,
      );
    }
    return { stream: Readable.fromWeb(res.body as never), done: Promise.resolve() };
  }
  const db = await openDatabase(databaseUrl, { migrate: false });
  const stream = new PassThrough();
  const done = writeBackup(db, stream, { tesseraVersion: serverVersion(), ...(onRows && { onRows }) })
    .then(() => undefined)
    .catch((err: unknown) => {
      stream.destroy(err as Error);
      throw err;
    })
    .finally(() => db.close());
  done.catch(() => {}); // the caller awaits it; no unhandled rejection meanwhile
  return { stream, done };
}

/** Who holds the embedded database at `databaseUrl` (undefined for any other database). */
export function embeddedHolder(databaseUrl: string) {
  return databaseUrl.startsWith('pglite://') ? holderOf(databaseUrl.slice('pglite://'.length)) : undefined;
}
