// Every command the README and the banner name, while `tessera serve` holds the embedded
// database: each goes through the running server's admin API (found from its control file).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-through-'));
const dataDir = join(dir, '.tessera', 'data');
const controlFile = join(dir, '.tessera', 'data.control.json');
const lockFile = join(dir, '.tessera', 'data.lock');
// Only the variables the CLI reads from this test, so the developer's own settings don't leak in.
const env = {
  DATABASE_URL: '',
  DATABASE_URL_FILE: '',
  PORT: '',
  HOST: '',
  TESSERA_ADMIN_TOKEN: '',
  TESSERA_ADMIN_TOKEN_FILE: '',
  TESSERA_OPERATOR_PASSWORD: '',
  TESSERA_IMPORT_PRIVATE_KEY: '',
  LOG_LEVEL: 'warn',
};

/** Runs a command; it must succeed without a word on stderr. */
async function ok(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const result = await runCli(args, { cwd: dir, env: { ...env, ...options.env }, input: options.input });
  expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
  return result.stdout;
}
const json = async (args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }) =>
  JSON.parse(await ok([...args, '--json'], options));

describe('tessera commands while the server runs', { timeout: 180_000 }, () => {
  let server: Awaited<ReturnType<typeof startCli>>;
  let url: string;
  const banner = { production: { publicKey: '', privateKey: '' }, staging: { publicKey: '', privateKey: '' } };

  beforeAll(async () => {
    server = await startCli(['serve', '--port', '0'], { cwd: dir, env, ready: /^Dashboard http.*\n/m });
    const output = server.output();
    url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
    for (const name of ['production', 'staging'] as const) {
      const match = new RegExp(`${name}\\s+public key\\s+(pk_\\w+)\\s+private key (sk_\\w+)`).exec(output);
      banner[name] = { publicKey: match![1]!, privateKey: match![2]! };
    }
    // The banner names the commands that show keys again and create the first operator.
    expect(output).toContain('npx tessera keys reveal --environment NAME');
    expect(output).toContain('npx tessera operators create --email you@example.com --password-stdin');
  });
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a control file only its owner can read, with a credential that opens the admin API', async () => {
    expect(statSync(controlFile).mode & 0o777).toBe(0o600);
    const control = JSON.parse(readFileSync(controlFile, 'utf8'));
    expect(control).toMatchObject({ pid: server.child.pid, url, version: expect.any(String) });
    expect(server.output()).not.toContain(control.token);
    const res = await fetch(`${url}/admin/api/operators`, { headers: { authorization: `Bearer ${control.token}` } });
    expect(res.status).toBe(200);
  });

  it('init takes over the first start: the keys the banner printed, and an admin token that works', async () => {
    const done = await json(['init', '--email', 'owner@example.com', '--password-stdin'], {
      input: 'the owner passphrase\n',
    });
    expect(done.environments).toMatchObject([
      { name: 'production', created: false, keyPair: banner.production },
      { name: 'staging', created: false, keyPair: banner.staging },
    ]);
    const res = await fetch(`${url}/admin/api/environments`, {
      headers: { authorization: `Bearer ${done.adminToken}` },
    });
    expect(res.status).toBe(200);
    const signIn = await fetch(`${url}/admin/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'the owner passphrase' }),
    });
    expect(signIn.status).toBe(200);

    const again = await runCli(['init', '--email', 'x@example.com', '--password-stdin'], {
      cwd: dir,
      env,
      input: 'another passphrase',
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: This installation is already set up \(1 operator, 1 admin token\); .*\n$/);
  });

  it('operators: create (password from a file), set-password (from the environment), list', async () => {
    const passwordFile = join(dir, 'password.txt');
    writeFileSync(passwordFile, 'second operator pass\n', { mode: 0o600 });
    await ok(['operators', 'create', '--email', 'second@example.com', '--password-file', passwordFile]);
    const changed = await ok(['operators', 'set-password', '--email', 'second@example.com'], {
      env: { TESSERA_OPERATOR_PASSWORD: 'changed operator pass' },
    });
    expect(changed).toContain('Changed the password of second@example.com');
    const { operators } = await json(['operators', 'list']);
    expect(operators.map((o: { email: string }) => o.email)).toEqual(['owner@example.com', 'second@example.com']);
    const signIn = await fetch(`${url}/admin/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'second@example.com', password: 'changed operator pass' }),
    });
    expect(signIn.status).toBe(200);
  });

  it('environments and keys: create, list, import, revoke, reveal', async () => {
    const qa = await json(['environments', 'create', 'qa', '--verification', 'optional']);
    expect(qa).toMatchObject({
      name: 'qa',
      identityVerification: 'optional',
      keyPair: { privateKey: expect.any(String) },
    });
    const listed = await ok(['environments', 'list']);
    expect(listed).toMatch(/^NAME\s+VERIFICATION[\s\S]*\nqa\s+optional/);

    const second = await json(['keys', 'create', '--environment', 'qa']);
    await ok(['keys', 'import', '--environment', 'staging', '--public-key', 'dashx_public_0123'], {
      env: { TESSERA_IMPORT_PRIVATE_KEY: '0123456789abcdef0123456789abcdef' },
    });
    await ok(['keys', 'revoke', second.publicKey]);
    const { keyPairs } = await json(['keys', 'list']);
    expect(
      keyPairs.map((k: { environment: string; publicKey: string; active: boolean }) => [
        k.environment,
        k.publicKey,
        k.active,
      ]),
    ).toEqual([
      ['production', banner.production.publicKey, true],
      ['staging', banner.staging.publicKey, true],
      ['staging', 'dashx_public_0123', true],
      ['qa', qa.keyPair.publicKey, true],
      ['qa', second.publicKey, false],
    ]);
    expect(JSON.stringify(keyPairs)).not.toContain('privateKey');

    const revealed = await json(['keys', 'reveal', '--environment', 'staging']);
    expect(revealed).toEqual({
      environment: 'staging',
      keyPairs: [
        expect.objectContaining(banner.staging),
        expect.objectContaining({ publicKey: 'dashx_public_0123', privateKey: '0123456789abcdef0123456789abcdef' }),
      ],
    });
    expect(await ok(['keys', 'reveal', '--environment', 'production'])).toContain(
      `private key ${banner.production.privateKey}`,
    );
  });

  it('token and migrate', async () => {
    const token = (await ok(['token', '--environment', 'production', '--uid', 'user-1', '--expires-in', '1h'])).trim();
    expect(jwt.verify(token, banner.production.privateKey, { algorithms: ['HS256'] })).toMatchObject({ uid: 'user-1' });
    expect(await ok(['migrate'])).toMatch(
      /^Schema is current \(version \d+\): the running server \(pid \d+\) migrates at start\.\n$/,
    );
  });

  it('on SIGTERM removes its control file and lock; then commands open the database themselves', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect([existsSync(controlFile), existsSync(lockFile), existsSync(dataDir)]).toEqual([false, false, true]);
    const { environments } = await json(['environments', 'list']);
    expect(environments.map((e: { name: string }) => e.name)).toEqual(['production', 'staging', 'qa']);
  });
});
