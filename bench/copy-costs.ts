/**
 * Where the time of `tessera backup` (P6) and `tessera move` (P7) goes, measured from outside the
 * server's code (which it does not change): a seeded database is backed up with the real command,
 * then each step the command takes is timed on its own in this process —
 *
 *   read     the rows as `row_to_json(t)::text` through a cursor, 5000 at a time (what a backup
 *            reads), against `COPY … TO` of the same tables;
 *   sha256   the two running checksums a backup keeps (every byte through two SHA-256 hashes);
 *   gzip     level 3 of the whole text, as the backup writes it (one core; in the command it runs
 *            on libuv's thread pool beside the reading thread);
 *   gunzip   what a restore or move undoes;
 *   restore  with a PostgreSQL target: `tessera restore --from FILE` into an empty database
 *            (the writing half of a move) — and `tessera move` itself when the source is PGlite.
 *
 *   node --import tsx bench/copy-costs.ts             # PGlite, 100,000 events
 *   BENCH_BACKUP_EVENTS=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_costs \
 *     BENCH_MOVE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_costs_move node --import tsx bench/copy-costs.ts
 *
 * Everything runs pinned to core 0 where it is a process of its own (the command); this script's own
 * timings run on the core it is on. Not part of `npm run bench`: a diagnosis, printed, not judged.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { loadBenchConfig, withSuffix } from './config.ts';
import { openDirect, prepareDatabase } from './lib/database.ts';
import { tesseraBin } from './lib/paths.ts';
import { run } from './lib/processes.ts';
import { seed } from './lib/seed.ts';
import { buildServer } from './lib/tessera.ts';
import { copySql, copyTables, quote } from './lib/tables.ts';

const config = loadBenchConfig({ BENCH_BACKUP_EVENTS: '100000', ...process.env });
const log = (line: string) => process.stdout.write(`${line}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function tessera(args: readonly string[]): Promise<number> {
  const started = now();
  const result = await run(process.execPath, [tesseraBin, ...args, '--json'], { core: config.serverCore });
  if (result.code !== 0) throw new Error(`tessera ${args[0]} failed:\n${result.stderr}${result.stdout}`);
  return now() - started;
}

buildServer(log);
const source = await prepareDatabase(withSuffix(config.databaseUrl, '_costs'));
const dir = mkdtempSync(join(tmpdir(), 'tessera-copy-costs-'));
try {
  log(`seeding ${source.label}: ${fmt(config.backupEvents)} events`);
  await seed(source, config.backupEvents, log);
  const db = await openDirect(source.url, { connections: 1 });
  let rows = 0;
  let readSeconds = 0;
  let copySeconds = 0;
  try {
    const query = <Row>(sql: string, params?: unknown[]) => db.query<Row>(sql, params);
    const tables = await copyTables(query);
    // What a backup reads, without anything it then does with the text.
    let started = now();
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    for (const t of tables) {
      const order = t.primaryKey.length > 0 ? ` ORDER BY ${t.primaryKey.map((c) => `x.${c}`).join(', ')}` : '';
      await db.query(`DECLARE c NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS r FROM ${quote(t.name)} x${order}`);
      for (;;) {
        const batch = await db.query<{ r: string }>('FETCH 5000 FROM c');
        if (batch.length === 0) break;
        rows += batch.length;
      }
      await db.query('CLOSE c');
    }
    await db.query('COMMIT');
    readSeconds = now() - started;
    // COPY of the same tables, read fully (B6's way).
    started = now();
    if (db.kind === 'pglite') {
      // The blob stays inside this process (B6 also reads it into a buffer: little more).
      for (const t of tables) await db.query(copySql(t, 'TO', "'/dev/blob'"));
    } else {
      const client = new pg.Client({ connectionString: source.url });
      await client.connect();
      try {
        for (const t of tables) {
          await pipeline(
            client.query(copyTo(copySql(t, 'TO', 'STDOUT'))),
            new Writable({ write: (_chunk, _encoding, done) => done() }),
          );
        }
      } finally {
        await client.end();
      }
    }
    copySeconds = now() - started;
  } finally {
    await db.close();
  }
  log(`read: row_to_json through a cursor ${readSeconds.toFixed(2)} s (${fmt(rows / readSeconds)} rows/s)`);
  log(
    `      ${source.kind === 'pglite' ? "COPY TO '/dev/blob'" : 'COPY TO STDOUT'} ` +
      `${copySeconds.toFixed(2)} s (${fmt(rows / copySeconds)} rows/s)`,
  );

  const file = join(dir, 'costs.backup');
  const backupSeconds = await tessera(['backup', '--to', file, '--database-url', source.url]);
  const gz = readFileSync(file);
  log(
    `tessera backup: ${backupSeconds.toFixed(2)} s wall (${fmt(rows / backupSeconds)} rows/s), ` +
      `${(statSync(file).size / 1e6).toFixed(1)} MB`,
  );
  let started = now();
  const text = gunzipSync(gz);
  const gunzipSeconds = now() - started;
  started = now();
  createHash('sha256').update(text).digest();
  createHash('sha256').update(text).digest();
  const shaSeconds = now() - started;
  started = now();
  gzipSync(text, { level: 3 });
  const gzipSeconds = now() - started;
  started = now();
  let parsed = 0;
  for (const line of text.toString('utf8').split('\n')) {
    if (line.startsWith('R')) {
      JSON.parse(line.slice(1));
      parsed++;
    }
  }
  const parseSeconds = now() - started;
  log(`the backup's text: ${(text.length / 1e6).toFixed(0)} MB, ${fmt(parsed)} rows`);
  log(`  2× sha256 ${shaSeconds.toFixed(2)} s, gzip level 3 ${gzipSeconds.toFixed(2)} s (one core)`);
  log(`  gunzip ${gunzipSeconds.toFixed(2)} s, JSON.parse of every row ${parseSeconds.toFixed(2)} s`);

  if (config.moveDatabaseUrl) {
    const target = await prepareDatabase(config.moveDatabaseUrl);
    try {
      const restoreSeconds = await tessera(['restore', '--from', file, '--database-url', config.moveDatabaseUrl]);
      log(
        `tessera restore into PostgreSQL: ${restoreSeconds.toFixed(2)} s wall (${fmt(rows / restoreSeconds)} rows/s)`,
      );
      if (source.kind === 'pglite') {
        await prepareDatabase(config.moveDatabaseUrl);
        const moveSeconds = await tessera(['move', '--to', config.moveDatabaseUrl, '--database-url', source.url]);
        log(`tessera move: ${moveSeconds.toFixed(2)} s wall (${fmt(rows / moveSeconds)} rows/s)`);
      }
    } finally {
      await target.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await source.drop();
}
