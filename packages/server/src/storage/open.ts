/** Opens the database named by a `DATABASE_URL` and brings its schema up to date. */
import { invalidInput } from '../errors.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenOptions {
  /** Apply pending migrations. Default true. */
  migrate?: boolean;
}

/**
 * @example const db = await openDatabase('memory://');
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const db = await connect(url);
  if (options.migrate ?? true) {
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

function connect(url: string): Promise<Database> {
  if (url === 'memory://') return openPglite(undefined);
  if (url.startsWith('pglite://')) {
    const dir = url.slice('pglite://'.length);
    if (dir === '') throw invalidInput('pglite:// needs a directory, e.g. pglite://./.tessera/data');
    return openPglite(dir);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw invalidInput('DATABASE_URL must start with pglite://, memory:// or postgres://');
}
