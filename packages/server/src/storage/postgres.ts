/** A PostgreSQL server through a node-postgres pool. */
import pg from 'pg';
import { isDatabaseUnavailable } from '../util/database-errors.ts';
import type { Database, Queryable } from './database.ts';

// int8 (counts, event ids) as numbers: our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PostgresOptions {
  /** Pool size. Default 10: group commit keeps few connections busy. */
  maxConnections?: number;
  /**
   * Milliseconds a statement (PostgreSQL's `statement_timeout`, and the driver's own read timeout
   * for a database that stops answering) or the wait for a connection may take. Default 5000.
   */
  timeoutMs?: number;
}

/** The driver's read timeout for work that must not be cut short (about 24 days: setTimeout's limit). */
const UNBOUNDED_MS = 2 ** 31 - 1;

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Fail fast when the server is down, refuses or hangs, so callers answer 503 instead of waiting:
    // the wait for a connection, each statement on the server, and each answer on the wire are bounded.
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    // A little later than the server's own limit, so a slow statement is cancelled there first.
    query_timeout: timeoutMs + 1_000,
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
  /**
   * A connection of our own for several statements. A checked-out connection that drops emits
   * 'error' (its statement fails too): listened for, so it is thrown away rather than crash the process.
   */
  const checkout = async () => {
    const conn = await pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    conn.on('error', onError);
    return {
      conn,
      /** Returns it to the pool, or closes it if it failed, timed out or `destroy` is set. */
      release(err?: unknown, destroy = false) {
        conn.removeListener('error', onError);
        if (err !== undefined && isDatabaseUnavailable(err)) broken ??= err as Error;
        conn.release(broken ?? destroy);
      },
    };
  };
  return {
    kind: 'postgres',
    query: self.query,
    async transaction(fn) {
      const { conn, release } = await checkout();
      let failure: unknown;
      try {
        await conn.query('BEGIN');
        const result = await fn(wrap(conn));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        failure = err;
        // A connection that timed out or dropped is thrown away, not handed to the next caller.
        if (!isDatabaseUnavailable(err)) await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        release(failure);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async withLock(lockId, fn) {
      const { conn, release } = await checkout();
      // One-time work (migrations) may rightly take long, and wait for another process's lock:
      // no statement timeout on this connection, which is not returned to the pool afterwards.
      const unbounded = (text: string, values?: unknown[]) =>
        // query_timeout per query is honoured by the driver but missing from its types.
        conn.query({ text, values, query_timeout: UNBOUNDED_MS } as pg.QueryConfig);
      try {
        await unbounded('SET statement_timeout = 0');
        await unbounded('SELECT pg_advisory_lock($1)', [lockId]);
        try {
          return await fn({
            async query<Row>(sql: string, params?: readonly unknown[]) {
              return (await unbounded(sql, params as unknown[] | undefined)).rows as Row[];
            },
            exec: async (sql) => void (await unbounded(sql)),
          });
        } finally {
          await unbounded('SELECT pg_advisory_unlock($1)', [lockId]);
        }
      } finally {
        release(undefined, true);
      }
    },
    connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
