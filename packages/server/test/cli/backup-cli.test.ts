// `tessera backup --to FILE` and `tessera restore --from FILE` as an operator runs them: on an
// embedded database with no server, progress on stderr (lines, not a bar, when it is not a
// terminal), one summary line on stdout, and every event back after the restore.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server.ts';
import { openDatabase } from '../../src/storage/open.ts';
import { runCli } from '../helpers/cli.ts';

const EVENTS = 2_000;

describe('tessera backup and restore (CLI)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-backup-cli-'));
  const source = `pglite://${join(cwd, 'source')}`;
  const file = join(cwd, 'tessera.backup');

  beforeAll(async () => {
    const server = await createServer({ databaseUrl: source, logger: false, port: 0 });
    try {
      const [env] = await server.db.query<{ id: string }>("SELECT id FROM environments WHERE name = 'production'");
      const [account] = await server.db.query<{ id: string }>(
        "INSERT INTO accounts (environment_id, kind, anonymous_uid) VALUES ($1, 'VISITOR', $2) RETURNING id",
        [env!.id, randomUUID()],
      );
      await server.db.query(
        `INSERT INTO events (environment_id, account_id, name, "timestamp", verified, message_id)
           SELECT $1, $2, 'Seeded', now(), false, 'cli-' || g FROM generate_series(1, ${EVENTS}) g`,
        [env!.id, account!.id],
      );
    } finally {
      await server.close();
    }
  }, 60_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const countEvents = async (url: string) => {
    const db = await openDatabase(url, { migrate: false });
    try {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      return row!.n;
    } finally {
      await db.close();
    }
  };

  it('backs up with progress, restores into an empty database with progress, and every event is back', async () => {
    const backup = await runCli(['backup', '--to', file, '--database-url', source], { cwd });
    expect(backup.stderr).toMatch(/\d+ rows · \d+ rows\/s · events/);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Wrote .*tessera\.backup in \d+\.\d s\.\n$/);

    const target = `pglite://${join(cwd, 'target')}`;
    const restore = await runCli(['restore', '--from', file, '--database-url', target], { cwd });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toMatch(/\d+ rows · \d+ rows\/s · events/);
    expect(restore.stdout).toMatch(/^Restored \d+ rows of \d+ tables into pglite:\/\/.* in \d+\.\d s\.\n$/);
    expect(await countEvents(target)).toBe(EVENTS);

    // Into the same database again: refused, one line, nothing written.
    const again = await runCli(['restore', '--from', file, '--database-url', target], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(await countEvents(target)).toBe(EVENTS);
  }, 120_000);

  it('refuses a file cut short with one line, writing nothing', async () => {
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const cut = join(cwd, 'cut.backup');
    writeFileSync(cut, gzipSync(text.slice(0, text.lastIndexOf('\nE') + 1)));
    const target = `pglite://${join(cwd, 'cut-target')}`;
    const restore = await runCli(['restore', '--from', cut, '--database-url', target], { cwd });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/trailer/);
    expect(
      restore.stderr
        .trim()
        .split('\n')
        .filter((l) => !/rows\/s/.test(l)),
    ).toHaveLength(1);
    expect(await countEvents(target)).toBe(0);
  }, 60_000);
});
