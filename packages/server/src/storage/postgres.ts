/** A PostgreSQL server through a node-postgres pool. */
import pg from 'pg';
import type { Database, Queryable } from './database.ts';

// int8 (counts, event ids) as numbers: our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  /** Pool size. Default 10: group commit keeps few connections busy. */
  maxConnections?: number;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Fail fast when the server is down, so callers answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    application_name: 'tessera',
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  const client = await pool.connect(); // fail at start, with the driver's message, if unreachable
  client.release();

  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[], name?: string) {
      const values = params as unknown[] | undefined;
      const result = await (name === undefined ? q.query(sql, values) : q.query({ name, text: sql, values }));
      return result.rows as Row[];
    },
  });
  const self = wrap(pool);
  return {
    kind: 'postgres',
    query: self.query,
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const result = await fn(wrap(conn));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async withLock(lockId, fn) {
      const conn = await pool.connect();
      try {
        await conn.query('SELECT pg_advisory_lock($1)', [lockId]);
        try {
          return await fn({ ...wrap(conn), exec: async (sql) => void (await conn.query(sql)) });
        } finally {
          await conn.query('SELECT pg_advisory_unlock($1)', [lockId]);
        }
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
