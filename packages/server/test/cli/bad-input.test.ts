// Bad input gives one line on stderr that names the setting and the fix, exit code 1, and leaves
// nothing half-made: no first-start keys nobody saw, no lock or control file.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-bad-input-'));
const env = {
  DATABASE_URL: '',
  DATABASE_URL_FILE: '',
  PORT: '',
  HOST: '',
  TESSERA_ADMIN_TOKEN: '',
  TESSERA_ADMIN_TOKEN_FILE: '',
  TESSERA_OPERATOR_PASSWORD: '',
  LOG_LEVEL: 'warn',
};
const run = (args: string[], extra: NodeJS.ProcessEnv = {}, input?: string) =>
  runCli(args, { cwd: dir, env: { ...env, ...extra }, input });

/** Exit code 1 and exactly one line on stderr (no stack trace), matching `line`. */
function refused(result: CliResult, line: RegExp): void {
  expect({ code: result.code, lines: result.stderr.trimEnd().split('\n') }).toEqual({
    code: 1,
    lines: [expect.stringMatching(line)],
  });
}

describe('tessera with bad input', { timeout: 120_000 }, () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a port in use: no keys created, no lock or control file left', async () => {
    const data = join(dir, 'busy-port');
    const url = `pglite://${join(data, 'data')}`;
    refused(
      await run(['serve', '--port', String(port), '--database-url', url]),
      new RegExp(
        `^error: Port ${port} is already in use on 127\\.0\\.0\\.1 \\(PORT / --port\\): .*choose another port`,
      ),
    );
    expect(readdirSync(data)).toEqual(['data']);
    const listed = await run(['environments', 'list', '--json', '--database-url', url]);
    expect(JSON.parse(listed.stdout)).toEqual({ environments: [] });
  });

  it('a HOST that is not an address of this machine', async () => {
    refused(
      await run(['serve', '--port', '0', '--host', '192.0.2.1', '--database-url', 'memory://']),
      /^error: Cannot listen on 192\.0\.2\.1 \(HOST \/ --host\): .*use 127\.0\.0\.1/,
    );
  });

  it('a bad TESSERA_TRUST_PROXY or TESSERA_BASE_PATH, from a flag or the environment', async () => {
    refused(
      await run(['serve', '--port', '0', '--database-url', 'memory://', '--trust-proxy', '10.0.0.0/33']),
      /^error: TESSERA_TRUST_PROXY must be true, a hop count or a comma-separated list .*"10\.0\.0\.0\/33" is not/,
    );
    refused(
      await run(['serve', '--port', '0', '--database-url', 'memory://'], { TESSERA_BASE_PATH: 'tessera/' }),
      /^error: TESSERA_BASE_PATH must start with \//,
    );
  });

  it('an unreachable database URL, its password masked', async () => {
    const url = 'postgres://app:s3cret@127.0.0.1:1/tessera';
    for (const args of [
      ['serve', '--port', '0'],
      ['keys', 'list'],
    ]) {
      const result = await run([...args, '--database-url', url]);
      refused(
        result,
        /^error: Cannot connect to the database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/tessera \(DATABASE_URL\): .*ECONNREFUSED/,
      );
      expect(result.stderr).not.toContain('s3cret');
    }
  });

  it('a data directory that cannot be made', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const result = await run(['serve', '--port', '0', '--database-url', `pglite://${join(dir, 'a-file', 'data')}`]);
    refused(
      result,
      /^error: Cannot use .*a-file\/data for the embedded database \(DATABASE_URL pglite:\/\/…\): .*Choose a writable directory/,
    );
  });

  it('settings that are wrong, or secret files that cannot be read', async () => {
    refused(await run(['serve', '--port', 'eighty']), /^error: PORT must be a whole number/);
    refused(
      await run(['serve'], { TESSERA_ADMIN_TOKEN_FILE: join(dir, 'missing') }),
      /^error: TESSERA_ADMIN_TOKEN_FILE: cannot read .*missing \(ENOENT\)$/,
    );
    refused(
      await run(['keys', 'list'], { DATABASE_URL: 'memory://', DATABASE_URL_FILE: join(dir, 'a-file') }),
      /^error: Set DATABASE_URL or DATABASE_URL_FILE, not both$/,
    );
    refused(
      await run(['serve', '--log-level', 'loud']),
      /^error: option '--log-level <level>' argument 'loud' is invalid\. .*\(see `tessera serve --help`\)$/,
    );
  });

  it('missing arguments and secrets, or a secret given twice', async () => {
    refused(
      await run(['init']),
      /^error: required option '--email <email>' not specified \(see `tessera init --help`\)$/,
    );
    refused(
      await run(['operators', 'create', '--email', 'a@example.com']),
      /^error: Give the password with --password-file FILE, --password-stdin or the TESSERA_OPERATOR_PASSWORD variable$/,
    );
    refused(
      await run(
        ['operators', 'create', '--email', 'a@example.com', '--password', 'a long passphrase', '--password-stdin'],
        {},
        'x',
      ),
      /^error: Give the password one way, not with --password and --password-stdin$/,
    );
    refused(
      await run(['init', '--email', 'a@example.com', '--password-stdin']),
      /^error: --password-stdin: nothing was read from stdin$/,
    );
    refused(
      await run(['operators', 'create', '--email', 'a@example.com', '--password-file', join(dir, 'nope')]),
      /^error: --password-file: cannot read .*nope \(ENOENT\)$/,
    );
    refused(
      await run(['keys', 'revoke']),
      /^error: missing required argument 'publicKey' \(see `tessera keys revoke --help`\)$/,
    );
    refused(await run(['serv']), /^error: unknown command 'serv' .*\(see `tessera --help`\)$/);
    // None of these opened (or made) the default database.
    expect(existsSync(join(dir, '.tessera'))).toBe(false);
  });
});
