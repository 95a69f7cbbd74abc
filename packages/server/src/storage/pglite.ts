/** Embedded PGlite (PostgreSQL in WebAssembly): `pglite://<dir>` on disk, `memory://` in memory. */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';
import { acquireDataDirLock, dataDirFiles, type DataDirLock } from './data-dir-lock.ts';

/**
 * PGlite's PostgreSQL starts with 16 MB of shared buffers instead of initdb's 128 MB. It runs in
 * this process, so its buffers are the server's memory (never given back once touched), and the
 * data files are read through the operating system's cache anyway. Measured with `npm run bench`
 * on PGlite: the server's RSS under load 389 → 305 MiB, and no scenario slower (docs/performance.md).
 */
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  const lock: DataDirLock | undefined = dataDir === undefined ? undefined : acquireDataDirLock(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir === undefined ? { startParams } : { dataDir, startParams });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const wrap = (q: PGlite | Transaction): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await q.query<Row>(sql, params as unknown[] | undefined);
      return result.rows;
    },
  });
  const self = wrap(db);
  // PGlite is one connection in this process: advisory locks would be re-entrant no-ops, and
  // the data-dir lock already keeps other processes out.
  const conn = { ...self, exec: async (sql: string) => void (await db.exec(sql)) };
  return {
    kind: 'pglite',
    dataDir: dataDir === undefined ? undefined : dataDirFiles(dataDir).dir,
    query: self.query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: conn.exec,
    withLock: (_lockId, fn) => fn(conn),
    // One connection in this process; PGlite queues queries internally and does not report them.
    connections: () => ({ total: 1, idle: 0, waiting: 0 }),
    async close() {
      await db.close();
      lock?.release();
    },
  };
}
