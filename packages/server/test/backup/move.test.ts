// `tessera move`: an embedded installation of 100 000 events copied into a new PostgreSQL database;
// an interrupted move leaves the target empty and runs again; a target with Tessera data is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveInstallation } from '../../src/cli/move.ts';
import { createServer } from '../../src/server.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { createWholePostgresDatabase, usingPostgres, type TestDatabase } from '../helpers/database.ts';

const EVENTS = 100_000;

describe.skipIf(!usingPostgres)('tessera move into PostgreSQL', () => {
  let dir: string;
  let source: string;
  let target: TestDatabase;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-move-'));
    source = `pglite://${dir}`;
    const server = await createServer({ databaseUrl: source, logger: false, port: 0 });
    try {
      await server.db.query(
        `INSERT INTO accounts (environment_id, kind, uid)
           SELECT (SELECT id FROM environments WHERE name = 'production'), 'USER', 'user-' || g FROM generate_series(1, 1000) g`,
      );
      await server.db.query(
        `WITH a AS (SELECT array_agg(id) AS ids, min(environment_id::text)::uuid AS env FROM accounts)
         INSERT INTO events (environment_id, account_id, name, "timestamp", verified, message_id)
         SELECT a.env, a.ids[1 + g % 1000], 'Seeded', now(), true, 'seed-' || g FROM generate_series(1, ${EVENTS}) g, a`,
      );
    } finally {
      await server.close();
    }
    target = await createWholePostgresDatabase();
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.info(`move of ${EVENTS} events: ${JSON.stringify(timings)} ms`);
  });

  it('leaves the target empty when interrupted, then moves and verifies on the next run', async () => {
    const interrupted = await moveInstallation(source, target.url, {
      onRows: (table, rows) => {
        if (table === 'events' && rows >= 20_000) throw new Error('interrupted');
      },
    }).catch((err: unknown) => err);
    expect(interrupted).toMatchObject({ message: 'interrupted' });
    const check = await openDatabase(target.url, { migrate: false });
    try {
      const [row] = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(row!.n).toBe(0);
    } finally {
      await check.close();
    }

    const started = Date.now();
    const summary = await moveInstallation(source, target.url);
    timings.move = Date.now() - started;
    expect(summary.tables.events?.rows).toBe(EVENTS);
    expect(summary.tables.accounts?.rows).toBe(1000);

    // The moved installation serves: its environments and keys came along.
    const moved = await createServer({ databaseUrl: target.url, logger: false, port: 0 });
    try {
      expect(moved.firstStart).toBeUndefined();
      const [row] = await moved.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(row!.n).toBe(EVENTS);
    } finally {
      await moved.close();
    }
  }, 180_000);

  it('refuses a target that already holds Tessera data', async () => {
    await expect(moveInstallation(source, target.url)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('not empty'),
    });
  }, 60_000);
});
