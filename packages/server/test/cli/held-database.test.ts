// Who holds the embedded database decides where a command goes: a process that holds it without
// serving makes the command wait, then give up with one line; files left by a killed server are
// ignored.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-held-'));
const state = join(dir, '.tessera');
const env = { DATABASE_URL: '', DATABASE_URL_FILE: '', TESSERA_ADMIN_TOKEN: '', LOG_LEVEL: 'warn' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a held embedded database', { timeout: 90_000 }, () => {
  it('a live holder that does not serve: the command waits, then says who holds it', async () => {
    mkdirSync(state, { recursive: true });
    // Stands in for another command (or a server still starting): a live process named in the lock.
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      writeFileSync(join(state, 'data.lock'), String(holder.pid));
      const result = await runCli(['keys', 'list'], { cwd: dir, env });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: The embedded database ./.tessera/data is in use by another Tessera process (pid ${holder.pid}) that does not accept commands: wait for it to finish or stop it, or use PostgreSQL (DATABASE_URL) for several processes\n`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it("a killed server's lock and control file: the command opens the database itself", async () => {
    writeFileSync(join(state, 'data.lock'), '999999999');
    const stale = { pid: 999_999_999, url: 'http://127.0.0.1:1', token: 'gone', version: '0.0.0' };
    writeFileSync(join(state, 'data.control.json'), JSON.stringify(stale), { mode: 0o600 });
    const result = await runCli(['keys', 'list', '--json'], { cwd: dir, env });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ keyPairs: [] });
  });
});
