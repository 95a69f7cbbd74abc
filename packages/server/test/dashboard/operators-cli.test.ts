// `tessera operators …`: create the first operator from the shell, list, change a password; the
// server then signs them in and shows no setup page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createServer } from '../../src/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-operators-'));
let database: TestDatabase | undefined;
afterAll(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tessera operators', () => {
  // Four CLI runs, each opening the database: give it time on a busy machine.
  it('creates, lists and re-passwords operators; the server signs them in', { timeout: 120_000 }, async () => {
    database = await createTestDatabase();
    const url = database.url === 'memory://' ? `pglite://${join(dir, 'data')}` : database.url;
    const env = { DATABASE_URL: url, LOG_LEVEL: 'warn', TESSERA_ADMIN_TOKEN: '' };

    const created = await runCli(
      ['operators', 'create', '--email', 'ops@example.com', '--password', 'first password 1', '--json'],
      { cwd: dir, env },
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'ops@example.com', lastLoginAt: null });
    const dup = await runCli(['operators', 'create', '--email', 'OPS@example.com', '--password', 'first password 1'], {
      cwd: dir,
      env,
    });
    expect(dup.stderr).toContain('already exists');

    const changed = await runCli(
      ['operators', 'set-password', '--email', 'ops@example.com', '--password', 'second password 2'],
      {
        cwd: dir,
        env,
      },
    );
    expect(changed.stdout).toContain('Changed the password of ops@example.com');
    const listed = await runCli(['operators', 'list'], { cwd: dir, env });
    expect(listed.stdout).toMatch(/EMAIL\s+CREATED\s+LAST SIGN-IN\nops@example\.com/);

    const server = await createServer({ databaseUrl: url, logger: false });
    try {
      const state = await server.app.inject({ url: '/admin/api/session' });
      expect(state.json()).toEqual({ operator: null, setupRequired: false });
      const signIn = (password: string) =>
        server.app.inject({
          method: 'POST',
          url: '/admin/api/session',
          payload: { email: 'ops@example.com', password },
        });
      expect((await signIn('first password 1')).statusCode).toBe(401);
      expect((await signIn('second password 2')).statusCode).toBe(200);
      // No admin token configured: the bearer path says so, sessions still work.
      const bearer = await server.app.inject({
        url: '/admin/api/environments',
        headers: { authorization: 'Bearer x' },
      });
      expect(bearer.json().error.message).toMatch(/TESSERA_ADMIN_TOKEN/);
    } finally {
      await server.close();
    }
  });
});
