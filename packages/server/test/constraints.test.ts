import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.ts';
import { openDatabase } from '../src/storage/open.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from './helpers/database.ts';

// Two real connections racing: only meaningful on a PostgreSQL server (PGlite is one connection).
describe.runIf(usingPostgres)('unique constraints under concurrent inserts from two connections', () => {
  let testDb: TestDatabase;
  let db: Database;
  const clients: pg.Client[] = [];
  let environmentId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    const [project] = await db.query<{ id: string }>(`INSERT INTO projects (name) VALUES ('p') RETURNING id`);
    const [env] = await db.query<{ id: string }>(
      `INSERT INTO environments (project_id, name) VALUES ($1, 'race') RETURNING id`,
      [project?.id],
    );
    environmentId = env!.id;
    for (let i = 0; i < 2; i++) {
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      clients.push(client);
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await db.close();
    await testDb.drop();
  });

  async function race(sql: (i: number) => [string, unknown[]], rounds = 25): Promise<number[]> {
    const winners: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [text, params] = sql(i);
      const results = await Promise.allSettled(clients.map((c) => c.query(text, params)));
      winners.push(results.filter((r) => r.status === 'fulfilled').length);
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('23505');
      }
    }
    return winners;
  }

  it('(environment, uid)', async () => {
    const winners = await race((i) => [
      `INSERT INTO accounts (environment_id, kind, uid) VALUES ($1, 'USER', $2)`,
      [environmentId, `user-${i}`],
    ]);
    expect(winners).toEqual(Array(25).fill(1));
  });

  it('(environment, anonymous_uid)', async () => {
    const winners = await race((i) => [
      `INSERT INTO accounts (environment_id, kind, anonymous_uid) VALUES ($1, 'VISITOR', $2)`,
      [environmentId, `anon-${i}`],
    ]);
    expect(winners).toEqual(Array(25).fill(1));
  });

  it('(environment, message_id)', async () => {
    const [account] = await db.query<{ id: string }>(
      `INSERT INTO accounts (environment_id, kind, uid) VALUES ($1, 'USER', 'event-owner') RETURNING id`,
      [environmentId],
    );
    const winners = await race((i) => [
      `INSERT INTO events (environment_id, account_id, name, "timestamp", verified, message_id)
       VALUES ($1, $2, 'Clicked', now(), true, $3)`,
      [environmentId, account!.id, `msg-${i}`],
    ]);
    expect(winners).toEqual(Array(25).fill(1));
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(count?.n).toBe(25);
  });
});
