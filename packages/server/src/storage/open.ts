/** Opens the database named by a `DATABASE_URL` and brings its schema up to date. */
import { redactUrl } from '../config.ts';
import { ErrorCode, TesseraError, invalidInput, isTesseraError } from '../errors.ts';
import type { Database } from './database.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres, type PostgresOptions } from './postgres.ts';

export interface OpenOptions {
  /** Apply pending migrations. Default true. */
  migrate?: boolean;
  /** Told what the migrations did (when they ran). */
  onMigrated?: (result: MigrationResult) => void;
  /** PostgreSQL only: pool size and statement/connection timeout (see `PostgresOptions`). */
  postgres?: PostgresOptions;
}

/**
 * @example const db = await openDatabase('memory://');
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const db = await connect(url, options.postgres);
  if (options.migrate ?? true) {
    try {
      const result = await migrate(db);
      options.onMigrated?.(result);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

async function connect(url: string, postgres: PostgresOptions = {}): Promise<Database> {
  if (url === 'memory://') return openPglite(undefined);
  if (url.startsWith('pglite://')) {
    const dir = url.slice('pglite://'.length);
    if (dir === '') throw invalidInput('pglite:// needs a directory, e.g. pglite://./.tessera/data');
    return openPglite(dir);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      return await openPostgres(url, postgres);
    } catch (err) {
      if (isTesseraError(err)) throw err;
      throw new TesseraError(
        ErrorCode.UNAVAILABLE,
        `Cannot connect to the database at ${redactUrl(url)} (DATABASE_URL): ${reasonOf(err)}. ` +
          'Check that PostgreSQL is running and that the URL (host, port, user, password, database) is right.',
        { cause: err },
      );
    }
  }
  throw invalidInput('DATABASE_URL must start with pglite://, memory:// or postgres://');
}

/** The driver's message; Node reports "localhost" refusals as an AggregateError with an empty one. */
function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  return e.message || e.errors?.[0]?.message || e.code || String(err);
}
