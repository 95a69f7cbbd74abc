// `tessera move`: an embedded installation of 100 000 events copied into a new PostgreSQL database
// in checkpointed chunks; an interrupted move (an error, or kill -9 of the command) resumes where
// it stopped; every table's count and checksum are verified, and a differing row is caught; a
// target with Tessera data is refused; --restart starts over, and only over what the move wrote.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveInstallation } from '../../src/cli/move.ts';
import { createServer } from '../../src/server.ts';
import type { Database } from '../../src/storage/database.ts';
import { MOVE_PROGRESS_TABLE, listTables } from '../../src/storage/backup/tables.ts';
import { createCheckpoints } from '../../src/storage/move/checkpoint.ts';
import { EMPTY_CHECKSUM, checksumOf, rangeChecksum, useCanonicalText } from '../../src/storage/move/checksum.ts';
import { verifyTarget } from '../../src/storage/move/verify.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { createWholePostgresDatabase, postgresUrl, usingPostgres, type TestDatabase } from '../helpers/database.ts';

const EVENTS = 100_000;

async function withDb<T>(url: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(url, { migrate: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const count = (url: string, table: string) =>
  withDb(url, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
/** Rows in all Tessera tables. */
const allRows = (url: string) =>
  withDb(url, async (db) => {
    let n = 0;
    for (const t of await listTables(db))
      n += (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.name}"`))[0]!.n;
    return n;
  });
const hasCheckpoints = (url: string) =>
  withDb(
    url,
    async (db) =>
      (await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [MOVE_PROGRESS_TABLE]))[0]!
        .found,
  );

describe.skipIf(!usingPostgres)('tessera move into PostgreSQL', () => {
  let dir: string;
  let source: string;
  let total = 0;
  const targets: TestDatabase[] = [];
  const timings: Record<string, string> = {};
  const newTarget = async () => {
    const t = await createWholePostgresDatabase();
    targets.push(t);
    return t;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-move-'));
    source = `pglite://${dir}`;
    const server = await createServer({ databaseUrl: source, logger: false, port: 0 });
    try {
      const env = `(SELECT id FROM environments WHERE name = 'production')`;
      await server.db.query(
        `INSERT INTO accounts (environment_id, kind, uid, custom, unverified_traits)
           SELECT ${env}, 'USER', 'user-' || g, jsonb_build_object('g', g, 'é', 'ünï'), ARRAY['email', 'x,"y"']
             FROM generate_series(1, 1000) g`,
      );
      // Visitors merged into users: a column referencing its own table, set after the whole table is in.
      await server.db.query(
        `INSERT INTO accounts (environment_id, kind, anonymous_uid, merged_into_id)
           SELECT ${env}, 'VISITOR', 'visitor-' || g, (SELECT id FROM accounts WHERE uid = 'user-' || g)
             FROM generate_series(1, 100) g`,
      );
      await server.db.query(
        `WITH a AS (SELECT array_agg(id ORDER BY uid) AS ids FROM accounts WHERE kind = 'USER')
         INSERT INTO events (environment_id, account_id, name, data, "timestamp", verified, message_id)
         SELECT ${env}, a.ids[1 + g % 1000], 'Seeded ' || (g % 7), jsonb_build_object('n', g, 'f', g / 3.0),
                now() - g * interval '1.234567 second', g % 2 = 0, 'seed-' || g
           FROM generate_series(1, ${EVENTS}) g, a`,
      );
      for (const t of await listTables(server.db)) {
        total += (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.name}"`))[0]!.n;
      }
    } finally {
      await server.close();
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of targets) await t.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.info(`move of ${EVENTS} events (${total} rows): ${JSON.stringify(timings)}`);
  });

  it('renders every column type of the schema alike in PGlite and PostgreSQL', async () => {
    const values = `
      SELECT '2026-12-08 01:02:03.456789+05:30'::timestamptz AS tz, '2026-12-08 01:02:03.5'::timestamp AS ts,
             '2026-12-08'::date AS d, '1 day 02:03:04.5'::interval AS iv, '{"b": [1, 2.50, null], "a": "é\\"x"}'::jsonb AS jb,
             '{"b": 1,  "a": 2}'::json AS js, ARRAY['a', 'b c', NULL, '"q"', '']::text[] AS arr, '\\x00ff10'::bytea AS by,
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id, 12345.678900::numeric AS num, 0.1::float8 AS f8,
             0.1::float4 AS f4, true AS yes, false AS no, 9007199254740991::int8 AS big, 2147483647::int4 AS int,
             'tab\\there ünïcode'::text AS txt, NULL::text AS nothing`;
    const columns = [
      'tz',
      'ts',
      'd',
      'iv',
      'jb',
      'js',
      'arr',
      'by',
      'id',
      'num',
      'f8',
      'f4',
      'yes',
      'no',
      'big',
      'int',
      'txt',
      'nothing',
    ];
    const table = { name: 'type_sample', columns, primaryKey: [], selfReferences: [], sequenced: [] };
    // Different defaults on each side, which the canonical settings must override.
    const rendered = (db: Database, timeZone: string, dateStyle: string) =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL TimeZone = '${timeZone}'`);
        await tx.query(`SET LOCAL DateStyle = '${dateStyle}'`);
        await tx.query(`CREATE TEMP TABLE type_sample ON COMMIT DROP AS ${values}`);
        const text = async () =>
          (await tx.query<{ t: string }>('SELECT row_to_json(t)::text AS t FROM type_sample t'))[0]!.t;
        const before = await text();
        await useCanonicalText(tx, true);
        return { before, text: await text(), sum: await rangeChecksum(tx, table) };
      });
    const { fromPglite, used } = await withDb(source, async (db) => ({
      fromPglite: await rendered(db, 'Asia/Kolkata', 'German'),
      used: await db.query<{ type: string }>(
        'SELECT DISTINCT data_type AS type FROM information_schema.columns WHERE table_schema = current_schema()',
      ),
    }));
    const fromPostgres = await withDb(postgresUrl, (db) => rendered(db, 'America/New_York', 'SQL, DMY'));
    expect(fromPglite.before).not.toBe(fromPostgres.before); // the settings matter…
    expect(fromPglite.text).toBe(fromPostgres.text); // …and make both sides agree
    expect(fromPglite.text).toContain('"2026-12-07T19:32:03.456789+00:00"');
    expect(fromPglite.sum).toEqual(fromPostgres.sum);
    expect(checksumOf([fromPglite.text])).toEqual(fromPglite.sum); // as the move sums the rows it sends
    // Every type the schema uses is in the sample above.
    const sampled = [
      'timestamp with time zone',
      'timestamp without time zone',
      'date',
      'interval',
      'jsonb',
      'json',
      'ARRAY',
      'bytea',
      'uuid',
      'numeric',
      'double precision',
      'real',
      'boolean',
      'bigint',
      'integer',
      'text',
    ];
    expect(used.map((u) => u.type).filter((t) => !sampled.includes(t))).toEqual([]);
  }, 60_000);

  let moved: TestDatabase;
  let movedSums: Record<string, { rows: number; sum: string }>;
  it('resumes a move interrupted mid-table where it stopped, and verifies it', async () => {
    moved = await newTarget();
    const interrupted = await moveInstallation(source, moved.url, {
      onProgress: (p) => {
        if (p.table === 'events' && p.written >= 40_000) throw new Error('interrupted');
      },
    }).catch((err: unknown) => err);
    expect(interrupted).toMatchObject({ message: 'interrupted' });
    const copied = await count(moved.url, 'events');
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(EVENTS);
    expect(await hasCheckpoints(moved.url)).toBe(true);
    const before = await allRows(moved.url);

    const started = Date.now();
    const summary = await moveInstallation(source, moved.url);
    const ms = Date.now() - started;
    timings.resume = `${ms} ms for ${summary.written} rows (${Math.round(summary.written / (ms / 1000))} rows/s)`;
    expect(summary).toMatchObject({ resumed: true, via: 'direct' });
    expect(summary.written).toBe(total - before); // it did not start over
    expect(summary.written).toBeLessThan(EVENTS - copied + 1000);
    expect(summary.tables.events?.rows).toBe(EVENTS);
    expect(summary.tables.accounts?.rows).toBe(1100);
    expect(await hasCheckpoints(moved.url)).toBe(false);
    movedSums = summary.tables;

    // The moved installation serves: its environments and keys came along, and ids continue.
    const server = await createServer({ databaseUrl: moved.url, logger: false, port: 0 });
    try {
      expect(server.firstStart).toBeUndefined();
      const [row] = await server.db.query<{ n: number; merged: number }>(
        'SELECT (SELECT count(*) FROM events)::int AS n, (SELECT count(*) FROM accounts WHERE merged_into_id IS NOT NULL)::int AS merged',
      );
      expect(row).toEqual({ n: EVENTS, merged: 100 });
      const [added] = await server.db.query<{ id: number }>(
        `INSERT INTO events (environment_id, account_id, name, "timestamp", verified, message_id)
           SELECT environment_id, account_id, 'After', now(), true, 'after' FROM events LIMIT 1 RETURNING id`,
      );
      expect(added!.id).toBeGreaterThan(EVENTS);
      await server.db.query("DELETE FROM events WHERE message_id = 'after'");
    } finally {
      await server.close();
    }
  }, 120_000);

  it('names the table whose rows differ from the source', async () => {
    await withDb(moved.url, async (target) => {
      const tables = await listTables(target);
      await target.query("UPDATE events SET name = 'Tampered' WHERE id = 77777");
      await expect(verifyTarget(target, tables, movedSums)).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringMatching(/table events .*checksum differs/),
      });
      await target.query("UPDATE events SET name = 'Seeded ' || (77777 % 7) WHERE id = 77777");
      await expect(verifyTarget(target, tables, movedSums)).resolves.toBeUndefined();
      // A timestamp a microsecond off is caught too.
      await target.query("UPDATE accounts SET created_at = created_at + interval '1 microsecond' WHERE uid = 'user-5'");
      await expect(verifyTarget(target, tables, movedSums)).rejects.toThrow(/table accounts .*checksum differs/);
      await target.query("UPDATE accounts SET created_at = created_at - interval '1 microsecond' WHERE uid = 'user-5'");
      await target.query("DELETE FROM accounts WHERE anonymous_uid = 'visitor-1'");
      await expect(verifyTarget(target, tables, movedSums)).rejects.toThrow(
        /table accounts in the target has 1099 rows where the embedded database has 1100/,
      );
    });
  }, 60_000);

  it('refuses a target that already holds Tessera data with CONFLICT, writing nothing', async () => {
    const before = await count(moved.url, 'accounts');
    await expect(moveInstallation(source, moved.url)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('not empty'),
    });
    await expect(moveInstallation(source, moved.url, { restart: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await count(moved.url, 'accounts')).toBe(before);
    expect(await hasCheckpoints(moved.url)).toBe(false);
  }, 60_000);

  it('resumes after the command was killed (kill -9) mid-table', async () => {
    const target = await newTarget();
    const cwd = mkdtempSync(join(tmpdir(), 'tessera-move-cli-'));
    try {
      const env = { DATABASE_URL: source };
      const running = await startCli(['move', '--to', target.url], {
        cwd,
        env,
        ready: /\d+\/\d+ rows .*· events\n/,
        timeoutMs: 60_000,
      });
      running.child.kill('SIGKILL');
      await running.exited;
      const copied = await count(target.url, 'events');
      expect(copied).toBeGreaterThan(0);
      expect(copied).toBeLessThan(EVENTS);
      const before = await allRows(target.url);

      const started = Date.now();
      const again = await runCli(['move', '--to', target.url, '--json'], { cwd, env });
      timings.resumeAfterKill = `${Date.now() - started} ms (the command's start included)`;
      expect(again.code, again.stderr).toBe(0);
      const result = JSON.parse(again.stdout) as { resumed: boolean; written: number; rows: number; setting: string };
      expect(result).toMatchObject({ resumed: true, rows: total, written: total - before });
      expect(result.setting).toMatch(/^DATABASE_URL=postgres:\/\//);
      expect(await count(target.url, 'events')).toBe(EVENTS);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it('--restart starts over, and only over what the interrupted move wrote', async () => {
    const target = await newTarget();
    const stop = (p: { table: string; written: number }) => {
      if (p.table === 'events') throw new Error('interrupted');
    };
    await expect(moveInstallation(source, target.url, { onProgress: stop })).rejects.toThrow('interrupted');
    const copied = await count(target.url, 'events');
    await withDb(target.url, (db) =>
      db.query("INSERT INTO operators (email, password_hash) VALUES ('someone@example.com', 'x')"),
    );
    await expect(moveInstallation(source, target.url, { restart: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('did not write'),
    });
    await expect(moveInstallation(source, target.url)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await count(target.url, 'events')).toBe(copied);
    await withDb(target.url, (db) => db.query("DELETE FROM operators WHERE email = 'someone@example.com'"));

    const started = Date.now();
    const summary = await moveInstallation(source, target.url, { restart: true });
    const ms = Date.now() - started;
    timings.fullMove = `${ms} ms for ${summary.written} rows (${Math.round(summary.written / (ms / 1000))} rows/s)`;
    expect(summary).toMatchObject({ resumed: false, written: total });
    expect(summary.tables.events?.rows).toBe(EVENTS);
    expect(await hasCheckpoints(target.url)).toBe(false);
  }, 120_000);

  it('moves through a running server (not resumable), which keeps serving; refuses a target with data', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tessera-move-serve-'));
    const server = await startCli(['serve', '--port', '0'], {
      cwd,
      env: { DATABASE_URL: source },
      ready: /^Dashboard http.*\n/m,
      timeoutMs: 60_000,
    });
    try {
      const url = /listening on (http:\/\/\S+)/.exec(server.output())![1]!;
      const interrupted = await newTarget();
      await withDb(interrupted.url, (db) => createCheckpoints(db, ['events'], 'x', EMPTY_CHECKSUM));
      await expect(moveInstallation(source, interrupted.url)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/cannot resume while a Tessera server \(pid \d+\) holds/),
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      const target = await newTarget();
      const summary = await moveInstallation(source, target.url);
      expect(summary).toMatchObject({ via: 'server', resumed: false, written: total });
      expect(await count(target.url, 'events')).toBe(EVENTS);
      await expect(moveInstallation(source, target.url)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('not empty'),
      });
      expect(await count(target.url, 'events')).toBe(EVENTS);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
