/** The storage port: one PostgreSQL dialect, served by embedded PGlite or a PostgreSQL server. */

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /**
   * Runs one statement with `$1…$n` parameters and returns its rows. A `name` makes it a
   * prepared statement on PostgreSQL (parsed and planned once per connection; for hot paths).
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The directory of an embedded database on disk (`pglite://DIR`), absolute; undefined otherwise. */
  readonly dataDir?: string | undefined;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` holding a database-wide advisory lock, on one connection, so that several server
   * processes never run the same one-time work (migrations, first-start setup) at once.
   */
  withLock<T>(lockId: number, fn: (conn: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  /** Connections now: open, idle, and queries waiting for one (metrics). */
  connections(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** Raised by a storage adapter when the database cannot be reached at all. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** PostgreSQL SQLSTATE of a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a database error, if it has one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL SQLSTATE of a foreign-key violation. */
export const FOREIGN_KEY_VIOLATION = '23503';
