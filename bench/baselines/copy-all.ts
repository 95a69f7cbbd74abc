/**
 * B6 and B7, the baselines of `tessera backup` (P6) and `tessera move` (P7): PostgreSQL's COPY of
 * every Tessera table, run in its own process (the bench starts it pinned to the server's core,
 * as it does the `tessera` command). Prints `COPY_RESULT {…}`.
 *
 * - `to` (B6): one client reads every table with `COPY … TO STDOUT` (PostgreSQL, through
 *   pg-copy-streams, every byte received and dropped) or `COPY … TO '/dev/blob'` (PGlite, the
 *   blob read into memory), in one REPEATABLE READ, READ ONLY transaction as a backup does.
 *   Timed from opening the database to the last table's last byte.
 * - `from` (B7): every table of the PGlite source is first written as COPY text into files (not
 *   timed); then one client writes them with `COPY … FROM STDIN` into the migrated, empty
 *   PostgreSQL target, parents first, in one transaction. Timed from connecting to `COMMIT`.
 */
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openPglite } from '../lib/database.ts';
import { copySql, copyTables, type CopyTable, type Query } from '../lib/tables.ts';

export type CopyRequest = { mode: 'to'; url: string } | { mode: 'from'; source: string; target: string; dir: string };

export interface CopyResult {
  rows: number;
  bytes: number;
  /** Opening the database (PGlite: starting it on the data directory; PostgreSQL: connecting). */
  openSeconds: number;
  /** The whole timed part, opening included. */
  seconds: number;
  tables: Record<string, number>;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

const pgliteQuery =
  (db: Pick<PGlite, 'query'>): Query =>
  async <Row>(sql: string, params?: unknown[]) =>
    (await db.query<Row>(sql, params)).rows;

/** Every table as COPY text, from PGlite (the blob of `COPY … TO '/dev/blob'`). */
async function pgliteCopyOut(
  db: PGlite,
  each: (table: CopyTable, data: Blob, rows: number) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    for (const table of await copyTables(pgliteQuery(tx))) {
      const result = await tx.query(copySql(table, 'TO', "'/dev/blob'"));
      // An empty table gives no blob.
      await each(table, result.blob ?? new Blob([]), result.affectedRows ?? 0);
    }
  });
}

async function copyToB6(url: string): Promise<CopyResult> {
  const tables: Record<string, number> = {};
  let bytes = 0;
  const started = now();
  if (url.startsWith('pglite://')) {
    const opened = await openPglite(url);
    const openSeconds = now() - started;
    try {
      await pgliteCopyOut(opened.db, async (table, blob, rows) => {
        bytes += (await blob.arrayBuffer()).byteLength;
        tables[table.name] = rows;
      });
    } finally {
      await opened.close();
    }
    return summary(tables, bytes, openSeconds, now() - started);
  }
  const client = new pg.Client({ connectionString: url, application_name: 'bench' });
  await client.connect();
  const openSeconds = now() - started;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const query: Query = async <Row>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as Row[];
    for (const table of await copyTables(query)) {
      const stream = client.query(copyTo(copySql(table, 'TO', 'STDOUT')));
      await pipeline(
        stream,
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            done();
          },
        }),
      );
      tables[table.name] = stream.rowCount;
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return summary(tables, bytes, openSeconds, now() - started);
}

async function copyFromB7(source: string, target: string, dir: string): Promise<CopyResult> {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  let bytes = 0;
  // Not timed: the rows as COPY text in files (read back from the page cache below).
  const opened = await openPglite(source);
  try {
    await pgliteCopyOut(opened.db, async (table, blob) => {
      const file = join(dir, `${table.name}.copy`);
      const data = Buffer.from(await blob.arrayBuffer());
      writeFileSync(file, data);
      bytes += data.length;
      files.set(table.name, file);
    });
  } finally {
    await opened.close();
  }

  const tables: Record<string, number> = {};
  const started = now();
  const client = new pg.Client({ connectionString: target, application_name: 'bench' });
  await client.connect();
  const openSeconds = now() - started;
  try {
    const query: Query = async <Row>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as Row[];
    await client.query('BEGIN');
    await client.query('SET LOCAL statement_timeout = 0');
    for (const table of await copyTables(query)) {
      const file = files.get(table.name);
      if (!file) throw new Error(`the source has no table ${table.name}`);
      const stream = client.query(copyFrom(copySql(table, 'FROM', 'STDIN')));
      await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
      tables[table.name] = stream.rowCount;
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
  return summary(tables, bytes, openSeconds, now() - started);
}

function summary(tables: Record<string, number>, bytes: number, openSeconds: number, seconds: number): CopyResult {
  const rows = Object.values(tables).reduce((s, n) => s + n, 0);
  return { rows, bytes, openSeconds, seconds, tables };
}

const request = JSON.parse(process.argv[2] ?? '{}') as CopyRequest;
const result =
  request.mode === 'to' ? await copyToB6(request.url) : await copyFromB7(request.source, request.target, request.dir);
process.stdout.write(`COPY_RESULT ${JSON.stringify(result)}\n`);
