/**
 * A fresh, isolated database for one test file: in-memory PGlite by default, or a new schema in
 * the PostgreSQL named by TEST_DATABASE_URL (dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? '';
export const usingPostgres = postgresUrl !== '';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) return { url: 'memory://', drop: async () => {} };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => adminQuery(`DROP SCHEMA ${schema} CASCADE`) };
}

/** A new, empty PostgreSQL database (not a schema), for what needs a whole one, e.g. `tessera move`. */
export async function createWholePostgresDatabase(): Promise<TestDatabase> {
  const name = `tessera_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(postgresUrl), { pathname: `/${name}` }).toString();
  return { url, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
