// `tessera init` before the first `tessera serve`: everything printed once as JSON, and the server
// then adds no environments of its own, asks for no setup, and accepts the admin token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-init-'));
const env = {
  DATABASE_URL: '',
  PORT: '',
  HOST: '',
  TESSERA_ADMIN_TOKEN: '',
  TESSERA_OPERATOR_PASSWORD: '',
  LOG_LEVEL: 'warn',
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera init', { timeout: 120_000 }, () => {
  it('sets up an empty installation for a deploy script; the server keeps to it', async () => {
    const passwordFile = join(dir, 'operator-password');
    writeFileSync(passwordFile, 'the owner passphrase\n', { mode: 0o600 });
    const args = [
      'init',
      '--email',
      'owner@example.com',
      '--password-file',
      passwordFile,
      '--environment',
      'live',
      '--json',
    ];
    const init = await runCli(args, { cwd: dir, env });
    expect(init.stderr).toBe('');
    const done = JSON.parse(init.stdout);
    expect(done).toEqual({
      adminToken: expect.stringMatching(/^tsa_/),
      operator: {
        id: expect.any(String),
        email: 'owner@example.com',
        createdAt: expect.any(String),
        lastLoginAt: null,
      },
      environments: [
        {
          id: expect.any(String),
          name: 'live',
          identityVerification: 'required',
          allowLegacyTokens: false,
          allowedOrigins: null,
          rateLimitPerKey: null,
          createdAt: expect.any(String),
          created: true,
          keyPair: {
            publicKey: expect.stringMatching(/^pk_/),
            privateKey: expect.stringMatching(/^sk_/),
            active: true,
            createdAt: expect.any(String),
            expiresAt: null,
            revokedAt: null,
          },
        },
      ],
    });

    const server = await startCli(['serve', '--port', '0'], { cwd: dir, env, ready: /^Dashboard (http\S+)\n/m });
    try {
      expect(server.output()).not.toContain('First start');
      expect(server.output()).not.toContain('create the first operator');
      const url = /listening on (http:\/\/\S+)/.exec(server.output())![1]!;
      const res = await fetch(`${url}/admin/api/environments`, {
        headers: { authorization: `Bearer ${done.adminToken}` },
      });
      expect(((await res.json()) as any).environments.map((e: { name: string }) => e.name)).toEqual(['live']);
      const again = await runCli([...args.slice(0, -1)], { cwd: dir, env });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already set up/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
