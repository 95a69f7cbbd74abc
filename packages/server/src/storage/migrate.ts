/** Versioned schema migrations (Postgrator), applied under an advisory lock, and the schema's state. */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import Postgrator from 'postgrator';
import type { Database, Queryable } from './database.ts';
import { serverPath } from '../paths.ts';

const migrationDir = serverPath('src/storage/migrations');
const migrationPattern = `${migrationDir}/*.sql`;
/** Arbitrary constant shared by every Tessera process: "tessera-migrate". */
const MIGRATION_LOCK = 0x7e55e7a1;

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** Where the schema stands against the migrations this code ships. */
export interface SchemaStatus {
  /** The version the database is at (0: empty). */
  version: number;
  /** The newest migration this code knows. */
  latest: number;
  /** Migrations this code knows that the database has not applied, e.g. `004.do.admin-tokens.sql`. */
  pending: string[];
}

function postgrator(conn: Queryable & { exec(sql: string): Promise<void> }, schema: string): Postgrator {
  return new Postgrator({
    currentSchema: schema,
    migrationPattern,
    driver: 'pg',
    schemaTable: 'tessera_schema_version',
    execQuery: async (query) => ({ rows: await conn.query(query) }),
    execSqlScript: (script) => conn.exec(script),
  });
}

async function currentSchema(conn: Queryable): Promise<string> {
  // Postgrator looks for its table in every schema unless told which one is ours.
  const [schema] = await conn.query<{ name: string }>('SELECT current_schema() AS name');
  return schema?.name ?? 'public';
}

/**
 * Applies every pending migration (or those up to `toVersion`, which a restore uses to recreate a
 * backup's schema before its rows); a no-op when the schema is current.
 */
export async function migrate(db: Database, toVersion?: number): Promise<MigrationResult> {
  return db.withLock(MIGRATION_LOCK, async (conn) => {
    const runner = postgrator(conn, await currentSchema(conn));
    const from = await runner.getDatabaseVersion();
    const applied = await runner.migrate(toVersion === undefined ? undefined : String(toVersion));
    const to = await runner.getDatabaseVersion();
    return { from, to, applied: applied.map((m) => basename(m.filename)) };
  });
}

/**
 * The schema's version and what is pending, without changing anything.
 * @example const { version, pending } = await schemaStatus(db);
 */
export async function schemaStatus(db: Database): Promise<SchemaStatus> {
  const conn = { query: db.query.bind(db), exec: db.exec.bind(db) };
  const runner = postgrator(conn, await currentSchema(conn));
  const version = await runner.getDatabaseVersion();
  const migrations = (await runner.getMigrations()).filter((m) => m.action === 'do');
  return {
    version,
    latest: Math.max(0, ...migrations.map((m) => m.version)),
    pending: migrations.filter((m) => m.version > version).map((m) => basename(m.filename)),
  };
}

/**
 * The newest migration version this code ships, without a database.
 * @example latestMigration() // 4
 */
export function latestMigration(): number {
  const versions = readdirSync(migrationDir)
    .map((file) => /^(\d+)\.do\..*\.sql$/.exec(file)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
  return Math.max(0, ...versions);
}
