import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from './helpers/database.ts';

describe(`migrations (${usingPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url, { migrate: false });
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('apply from an empty database, then are a no-op', async () => {
    const first = await migrate(db);
    expect(first.from).toBe(0);
    const files = readdirSync(new URL('../src/storage/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql'));
    expect(first.applied).toEqual(files.sort());
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['accounts', 'environments', 'events', 'key_pairs', 'merges', 'projects']),
    );

    const second = await migrate(db);
    expect(second).toEqual({ from: first.to, to: first.to, applied: [] });
  });

  it('enforce the unique keys of accounts and events', async () => {
    const [project] = await db.query<{ id: string }>(`INSERT INTO projects (name) VALUES ('p') RETURNING id`);
    const [env] = await db.query<{ id: string }>(
      `INSERT INTO environments (project_id, name) VALUES ($1, 'unique-test') RETURNING id`,
      [project?.id],
    );
    const insertUser = () =>
      db.query(`INSERT INTO accounts (environment_id, kind, uid) VALUES ($1, 'USER', 'u1')`, [env?.id]);
    await insertUser();
    await expect(insertUser()).rejects.toMatchObject({ code: '23505' });
  });

  it('refuse an event whose account is in another environment, and delete events with their account', async () => {
    const [project] = await db.query<{ id: string }>(`INSERT INTO projects (name) VALUES ('fk') RETURNING id`);
    const env = async (name: string) =>
      (
        await db.query<{ id: string }>(`INSERT INTO environments (project_id, name) VALUES ($1, $2) RETURNING id`, [
          project?.id,
          name,
        ])
      )[0]!.id;
    const [a, b] = [await env('fk-a'), await env('fk-b')];
    const [account] = await db.query<{ id: string }>(
      `INSERT INTO accounts (environment_id, kind, anonymous_uid) VALUES ($1, 'VISITOR', 'v1') RETURNING id`,
      [a],
    );
    const insertEvent = (environmentId: string, messageId: string) =>
      db.query(
        `INSERT INTO events (environment_id, account_id, name, "timestamp", verified, message_id)
         VALUES ($1, $2, 'Viewed', now(), true, $3)`,
        [environmentId, account?.id, messageId],
      );
    await insertEvent(a, 'm1');
    await expect(insertEvent(b, 'm2')).rejects.toMatchObject({ code: '23503' });

    await db.query(`DELETE FROM environments WHERE id = $1`, [a]);
    const left = await db.query(`SELECT 1 FROM events WHERE message_id = 'm1'`);
    expect(left).toHaveLength(0);
  });
});
