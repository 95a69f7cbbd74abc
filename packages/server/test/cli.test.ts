import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
// Only the variables the CLI reads from this test, so the developer's own settings don't leak in.
const env = { DATABASE_URL: '', PORT: '', HOST: '', TESSERA_ADMIN_TOKEN: '', LOG_LEVEL: 'warn' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each command is a fresh process that boots the embedded database: give them time on a busy machine.
describe('tessera CLI', { timeout: 120_000 }, () => {
  it('serve: first start prints the keys, answers /healthz, serves the other commands, stops on SIGTERM', async () => {
    const server = await startCli(['serve', '--port', '0'], {
      cwd: dir,
      env,
      ready: /staging\s+public key\s+(pk_\w+)[\s\S]*private key (sk_\w+)/,
    });
    const output = server.output();
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatch(/production\s+public key\s+pk_[0-9A-Za-z]{29}/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });

    // The embedded database belongs to the running server: commands go through it.
    const listed = await runCli(['keys', 'list', '--json'], { cwd: dir, env });
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout).keyPairs.map((k: { publicKey: string }) => k.publicKey)).toContain(
      server.match[1],
    );

    server.child.kill('SIGTERM');
    expect({ code: await server.exited, signal: server.child.signalCode, output: server.output() }).toMatchObject({
      code: 0,
    });

    // Second start: nothing new is printed.
    const again = await startCli(['serve', '--port', '0'], { cwd: dir, env, ready: /listening on/ });
    again.child.kill('SIGTERM');
    expect({ code: await again.exited, signal: again.child.signalCode, output: again.output() }).toMatchObject({
      code: 0,
    });
    expect(again.output()).not.toContain('First start');
  });

  it('environments, keys and tokens', async () => {
    const created = await runCli(['environments', 'create', 'qa', '--verification', 'optional', '--json'], {
      cwd: dir,
      env,
    });
    expect(created.code).toBe(0);
    const qa = JSON.parse(created.stdout);
    expect(qa).toMatchObject({ name: 'qa', identityVerification: 'optional' });
    expect(qa.keyPair.privateKey).toMatch(/^sk_/);

    const dup = await runCli(['environments', 'create', 'qa'], { cwd: dir, env });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');

    const dashxKeys = ['--public-key', 'dashx_public_0123', '--private-key-stdin'];
    const imported = await runCli(['keys', 'import', '--environment', 'qa', ...dashxKeys], {
      cwd: dir,
      env,
      input: '0123456789abcdef0123456789abcdef\n',
    });
    expect(imported.stdout).toContain('Imported dashx_public_0123');
    const third = await runCli(['keys', 'create', '--environment', 'qa'], { cwd: dir, env });
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('already has 2 active key pairs');

    const listed = JSON.parse((await runCli(['keys', 'list', '--json'], { cwd: dir, env })).stdout);
    expect(listed.keyPairs.filter((k: { environment: string }) => k.environment === 'qa')).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain('privateKey');

    const revoked = await runCli(['keys', 'revoke', 'dashx_public_0123'], { cwd: dir, env });
    expect(revoked.stdout).toContain('Revoked');

    const token = await runCli(['token', '--environment', 'qa', '--uid', 'user-1', '--expires-in', '1h'], {
      cwd: dir,
      env,
    });
    expect(token.code).toBe(0);
    const payload = jwt.verify(token.stdout.trim(), qa.keyPair.privateKey, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(payload).toMatchObject({ uid: 'user-1', kind: 'USER', aud: 'qa' });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('explains bad arguments in one line', async () => {
    const missing = await runCli(['token', '--environment', 'qa'], { cwd: dir, env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toBe("error: required option '--uid <uid>' not specified (see `tessera token --help`)\n");
    const badDuration = await runCli(['token', '--environment', 'qa', '--uid', 'u', '--expires-in', 'soon'], {
      cwd: dir,
      env,
    });
    expect(badDuration.code).toBe(1);
    expect(badDuration.stderr).toMatch(/^error: .*soon/);
    const badUrl = await runCli(['migrate', '--database-url', 'mysql://x'], { cwd: dir, env });
    expect(badUrl.stderr).toContain('DATABASE_URL must start with');
  });
});
