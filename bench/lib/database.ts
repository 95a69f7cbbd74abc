/**
 * The bench's database: a fresh PostgreSQL database (`BENCH_DATABASE_URL`, recreated per run) or a
 * PGlite data directory in a temporary folder; and direct access to it for seeding and baselines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { acquireDataDirLock } from '../../packages/server/src/storage/data-dir-lock.ts';

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** What the Tessera server is started with (`--database-url`). */
  url: string;
  /** For people: the URL without a password. */
  label: string;
  /** The PostgreSQL database's name; undefined on PGlite. */
  name: string | undefined;
  /** Drops the database or removes the directory. */
  drop(): Promise<void>;
}

/**
 * PostgreSQL: drops and recreates the database the URL names, which must be called `bench…` so that
 * no real database is ever wiped by mistake. Without a URL: a new PGlite directory.
 * @example const db = await prepareDatabase('postgres://postgres@127.0.0.1:5432/bench_tessera');
 */
export async function prepareDatabase(url: string | undefined): Promise<BenchDatabase> {
  if (url === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-pglite-'));
    const dataDir = join(dir, 'data');
    return {
      kind: 'pglite',
      url: `pglite://${dataDir}`,
      label: `pglite://${dataDir}`,
      name: undefined,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL');
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^bench[a-z0-9_]*$/.test(name)) {
    throw new Error(
      `BENCH_DATABASE_URL names database "${name}": the bench drops and recreates it, so its name must start ` +
        'with "bench" (e.g. postgres://postgres@127.0.0.1:5432/bench_tessera)',
    );
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const maintenance = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await maintenance(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await maintenance(`CREATE DATABASE "${name}"`);
  parsed.password = parsed.password ? '***' : '';
  return {
    kind: 'postgres',
    url,
    label: parsed.toString(),
    name,
    drop: () => maintenance(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Direct SQL access, outside the Tessera server: what seeding and the baselines use. */
export interface DirectDb {
  kind: 'postgres' | 'pglite';
  /** One statement; on PostgreSQL through a pool of `connections`. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * One `COPY table (columns) FROM …` of COPY text rows: `FROM STDIN` over one pooled connection on
   * PostgreSQL, `FROM '/dev/blob'` on PGlite. Commits on its own.
   */
  copy(table: string, columns: readonly string[], text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a PGlite data directory (`pglite://DIR`) under the server's own lock file: opening the
 * directory while a server has it would corrupt it.
 */
export async function openPglite(url: string): Promise<{ db: PGlite; close(): Promise<void> }> {
  const dataDir = url.slice('pglite://'.length);
  const lock = acquireDataDirLock(dataDir);
  const db = await PGlite.create({ dataDir }).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  return {
    db,
    close: async () => {
      await db.close();
      lock.release();
    },
  };
}

/**
 * Opens the database directly. PGlite's directory must not be open in the server at the same time.
 * @example const db = await openDirect(bench.url, { connections: 10 });
 */
export async function openDirect(url: string, options: { connections?: number } = {}): Promise<DirectDb> {
  if (url.startsWith('pglite://')) {
    const { db, close } = await openPglite(url);
    return {
      kind: 'pglite',
      query: async <Row>(sql: string, params?: readonly unknown[]) =>
        (await db.query<Row>(sql, params as unknown[] | undefined)).rows,
      copy: async (table, columns, text) => {
        await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
      },
      close,
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.connections ?? 10, application_name: 'bench' });
  return {
    kind: 'postgres',
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await pool.query(sql, params as unknown[] | undefined)).rows as Row[],
    copy: async (table, columns, text) => {
      const client = await pool.connect();
      try {
        await pipeline(
          Readable.from([text]),
          client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
        );
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Puts the database in the same state before every write measurement: vacuums the tables the bench
 * writes (the bench switches autovacuum off for them, see `seed`, so that no background vacuum lands
 * inside one measurement and not another), then checkpoints, so that every run starts right after a
 * checkpoint and pays the same full-page writes for the pages it touches first (a run that followed
 * another one would otherwise find them already written since the last checkpoint).
 * On PGlite only while no server has the directory open.
 */
export async function settle(url: string): Promise<void> {
  const db = await openDirect(url, { connections: 1 });
  try {
    await db.query('VACUUM (ANALYZE) events, accounts');
    if (db.kind === 'postgres') await db.query('CHECKPOINT');
  } finally {
    await db.close();
  }
}
