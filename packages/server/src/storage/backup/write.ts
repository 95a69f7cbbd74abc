/** Writes a backup: every Tessera table from one consistent, read-only snapshot, as `tessera.backup.v1`. */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Database, Queryable } from '../database.ts';
import { BACKUP_FORMAT, type BackupHeader, type BackupTrailer } from './format.ts';
import { SCHEMA_TABLE, ident, listTables } from './tables.ts';

/** Rows fetched from the cursor at a time (bounded memory, each statement short). */
const FETCH_ROWS = 5_000;

export interface WriteBackupOptions {
  tesseraVersion: string;
  /** Told after each batch of rows (progress). */
  onRows?: (table: string, rowsSoFar: number) => void;
}

export type BackupSummary = Pick<BackupHeader, 'schemaVersion' | 'createdAt'> & BackupTrailer;

/**
 * Streams a gzip'd backup of `db` into `out` (ended when done). The server may keep writing: the
 * rows come from one REPEATABLE READ, READ ONLY transaction, so they are one moment's state.
 * @example await writeBackup(db, createWriteStream('tessera.backup'), { tesseraVersion: '0.2.0' });
 */
export async function writeBackup(db: Database, out: Writable, options: WriteBackupOptions): Promise<BackupSummary> {
  const gzip = createGzip({ level: 3 });
  const piping = pipeline(gzip, out);
  piping.catch(() => {}); // awaited below; a failing destination also fails the writes
  const all = createHash('sha256');
  const write = async (text: string, table?: Hash): Promise<void> => {
    all.update(text);
    table?.update(text);
    if (!gzip.write(text)) await Promise.race([once(gzip, 'drain'), piping]);
  };
  try {
    const summary = await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      if (db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
      const schemaVersion = await versionOf(tx);
      const tables = await listTables(tx);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        tesseraVersion: options.tesseraVersion,
        schemaVersion,
        createdAt: new Date().toISOString(),
        database: db.kind,
        tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
      };
      await write(`H${JSON.stringify(header)}\n`);
      const sums: BackupTrailer['tables'] = {};
      for (const table of tables) {
        await write(`T${JSON.stringify({ name: table.name })}\n`);
        const hash = createHash('sha256');
        const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(ident).join(', ')}` : '';
        await tx.query(
          `DECLARE tessera_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM ${ident(table.name)} t${order}`,
        );
        let rows = 0;
        for (;;) {
          const batch = await tx.query<{ r: string }>(`FETCH ${FETCH_ROWS} FROM tessera_backup`);
          if (batch.length === 0) break;
          let text = '';
          for (const { r } of batch) text += `R${r}\n`;
          await write(text, hash);
          rows += batch.length;
          options.onRows?.(table.name, rows);
        }
        await tx.query('CLOSE tessera_backup');
        sums[table.name] = { rows, sha256: hash.digest('hex') };
      }
      const trailer: BackupTrailer = { tables: sums, sha256: all.digest('hex') };
      gzip.write(`E${JSON.stringify(trailer)}\n`);
      return { schemaVersion, createdAt: header.createdAt, ...trailer };
    });
    gzip.end();
    await piping;
    return summary;
  } catch (err) {
    gzip.destroy(err as Error);
    await piping.catch(() => {});
    throw err;
  }
}

/** The schema version recorded by the migrations (0 when never migrated). */
export async function versionOf(db: Queryable): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `SELECT COALESCE(MAX(version), 0)::int AS version FROM ${ident(SCHEMA_TABLE)}`,
  );
  return row?.version ?? 0;
}
