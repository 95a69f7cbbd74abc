// `tessera backup` / `tessera restore`: a round trip of 100 000 events keeps every row and key
// (an old identity token still verifies), and a cut, altered, newer or misplaced file writes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { restoreBackup } from '../../src/storage/backup/restore.ts';
import { ident, listTables } from '../../src/storage/backup/tables.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { signJwt } from '../../src/tokens/sign.ts';
import { TRACK, gql } from '../helpers/graphql.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

const EVENTS = 100_000;

/** Row count and md5 of every table's rows in key order. */
async function tableSums(db: Database): Promise<Record<string, { rows: number; md5: string }>> {
  const sums: Record<string, { rows: number; md5: string }> = {};
  for (const t of await listTables(db)) {
    const [row] = await db.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, md5(COALESCE(string_agg(row_to_json(t)::text, E'\\n' ORDER BY ${t.primaryKey
        .map((c) => `t.${ident(c)}`)
        .join(', ')}), '')) AS md5 FROM ${ident(t.name)} t`,
    );
    sums[t.name] = row!;
  }
  return sums;
}

/** A fresh empty target: a new schema on PostgreSQL, a new directory for PGlite (so a server can reopen it). */
async function emptyTarget(): Promise<TestDatabase> {
  if (usingPostgres) return createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-restore-'));
  return { url: `pglite://${dir}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Gunzips a backup, changes its text, gzips it again. */
const edit = (file: Buffer, change: (text: string) => string) =>
  gzipSync(Buffer.from(change(gunzipSync(file).toString('utf8'))));

async function restoreInto(target: TestDatabase, file: Buffer) {
  const db = await openDatabase(target.url, { migrate: false });
  try {
    const summary = await restoreBackup(db, Readable.from([file]), { source: 'test.backup' });
    return { summary, sums: await tableSums(db) };
  } finally {
    await db.close();
  }
}

describe(`backup and restore (${usingPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let server: TestServer;
  let file: Buffer;
  let token: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // The seeding below is one bulk statement: give it more than the default 5 s on a loaded machine.
    server = await startTestServer({ dbStatementTimeoutMs: 60_000 });
    token = signJwt({ uid: 'verified-user', secret: server.production.privateKey, expiresInSeconds: 86_400 });
    const tracked = await gql(
      server,
      TRACK,
      { event: 'Signed In', accountUid: 'verified-user' },
      {
        publicKey: server.production.publicKey,
        token,
      },
    );
    expect(tracked.body.errors).toBeUndefined();
    const [env] = await server.db.query<{ id: string }>("SELECT id FROM environments WHERE name = 'production'");
    await server.db.query(
      `INSERT INTO accounts (environment_id, kind, uid, custom) SELECT $1, 'USER', 'user-' || g, jsonb_build_object('g', g)
         FROM generate_series(1, 1000) g`,
      [env!.id],
    );
    // Visitors merged into users: a column referencing its own table.
    await server.db.query(
      `INSERT INTO accounts (environment_id, kind, anonymous_uid, merged_into_id)
         SELECT $1, 'VISITOR', 'visitor-' || g, (SELECT id FROM accounts WHERE uid = 'user-' || g)
         FROM generate_series(1, 100) g`,
      [env!.id],
    );
    await server.db.query(
      `WITH a AS (SELECT array_agg(id ORDER BY uid) AS ids FROM accounts WHERE uid LIKE 'user-%')
       INSERT INTO events (environment_id, account_id, name, data, "timestamp", verified, message_id)
       SELECT $1, a.ids[1 + g % 1000], 'Seeded ' || (g % 7), jsonb_build_object('n', g, 'é', 'ünïcode'),
              now() - g * interval '1 second', g % 2 = 0, 'seed-' || g
         FROM generate_series(1, ${EVENTS}) g, a`,
      [env!.id],
    );
    let started = Date.now();
    const res = await server.app.inject({
      method: 'POST',
      url: '/admin/api/backup',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    timings.backup = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    file = res.rawPayload;
    started = Date.now();
    void started;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    console.info(`backup/restore of ${EVENTS} events: ${JSON.stringify(timings)} ms`);
  });

  it('restores every row into an empty database, and the restored server accepts an old identity token', async () => {
    const target = await emptyTarget();
    try {
      const started = Date.now();
      const { summary, sums } = await restoreInto(target, file);
      timings.restore = Date.now() - started;
      expect(summary.tables.events?.rows).toBe(EVENTS + 1);
      expect(sums).toEqual(await tableSums(server.db));

      const restored = await createServer({ databaseUrl: target.url, adminToken: ADMIN_TOKEN, logger: false, port: 0 });
      try {
        expect(restored.firstStart).toBeUndefined();
        const keys = { publicKey: server.production.publicKey, token };
        const again = await gql(restored, TRACK, { event: 'Signed In Again', accountUid: 'verified-user' }, keys);
        expect(again.body.errors).toBeUndefined();
        // The identity column continues after the restored ids.
        const [max] = await restored.db.query<{ id: number }>(
          "SELECT max(id)::int AS id FROM events WHERE name <> 'Signed In Again'",
        );
        const [last] = await restored.db.query<{ id: number }>(
          "SELECT id::int AS id FROM events WHERE name = 'Signed In Again'",
        );
        expect(last!.id).toBeGreaterThan(max!.id);
        const [merged] = await restored.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM accounts WHERE merged_into_id IS NOT NULL',
        );
        expect(merged!.n).toBe(100);
      } finally {
        await restored.close();
      }
    } finally {
      await target.drop();
    }
  }, 120_000);

  const refusals: Array<[string, () => Buffer, RegExp]> = [
    ['a file cut short', () => file.subarray(0, Math.floor(file.length / 2)), /not a whole, intact Tessera backup/],
    [
      'a file whose rows were altered',
      () => edit(file, (t) => t.replace('"Seeded 1"', '"Seeded X"')),
      /checksum does not match/,
    ],
    ['a file without its trailer', () => edit(file, (t) => t.slice(0, t.lastIndexOf('\nE') + 1)), /before its trailer/],
    [
      'a file from a newer schema',
      () => edit(file, (t) => t.replace(/"schemaVersion":\d+/, '"schemaVersion":999')),
      /newer than this Tessera knows/,
    ],
    ['a file that is not a backup', () => gzipSync(Buffer.from('hello\n')), /is not a Tessera backup/],
  ];
  for (const [what, bad, message] of refusals) {
    it(`refuses ${what} with one line, writing nothing`, async () => {
      const target = await emptyTarget();
      try {
        const db = await openDatabase(target.url, { migrate: false });
        try {
          const err = await restoreBackup(db, Readable.from([bad()]), { source: 'test.backup' }).catch(
            (e: unknown) => e,
          );
          expect(err).toMatchObject({ code: 'INVALID_INPUT', message });
          expect((err as Error).message).not.toContain('\n');
          for (const sum of Object.values(await tableSums(db))) expect(sum.rows).toBe(0);
        } finally {
          await db.close();
        }
      } finally {
        await target.drop();
      }
    }, 120_000);
  }

  it('refuses a database that already holds Tessera data (CONFLICT), writing nothing', async () => {
    const before = await tableSums(server.db);
    const err = await restoreBackup(server.db, Readable.from([file]), { source: 'test.backup' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not empty') });
    expect(await tableSums(server.db)).toEqual(before);
  });
});
