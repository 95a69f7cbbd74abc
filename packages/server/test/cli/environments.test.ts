// `tessera environments create|update|list` with the browser-ingest settings: allowed origins
// (`--allowed-origins a,b` / `open`) and the rate limit per key (`--rate-limit-per-key N` /
// `default`), as JSON and as text; a bad value is one line on stderr and exit code 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-environments-'));
const env = {
  DATABASE_URL: `pglite://${join(dir, 'data')}`,
  DATABASE_URL_FILE: '',
  TESSERA_ADMIN_TOKEN: '',
  TESSERA_ADMIN_TOKEN_FILE: '',
  LOG_LEVEL: 'warn',
};
const run = (args: string[]) => runCli(args, { cwd: dir, env });
const json = async (args: string[]) => {
  const result = await run([...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera environments: allowed origins and rate limit per key', { timeout: 120_000 }, () => {
  it('creates an environment with both, normalised', async () => {
    const created = await json([
      'environments',
      'create',
      'shop',
      '--allowed-origins',
      'HTTPS://Shop.Example.com:443, https://*.preview.example.com',
      '--rate-limit-per-key',
      '50',
    ]);
    expect(created).toMatchObject({
      name: 'shop',
      allowedOrigins: ['https://shop.example.com', 'https://*.preview.example.com'],
      rateLimitPerKey: 50,
      keyPair: { publicKey: expect.stringMatching(/^pk_/) },
    });
  });

  it('lists them, as text and JSON', async () => {
    const listed = await run(['environments', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^NAME\s+VERIFICATION\s+LEGACY TOKENS\s+ALLOWED ORIGINS\s+RATE LIMIT PER KEY\s+CREATED\n/,
    );
    expect(listed.stdout).toMatch(
      /\nshop\s+required\s+no\s+https:\/\/shop\.example\.com,https:\/\/\*\.preview\.example\.com\s+50\/s\s/,
    );
    const { environments } = await json(['environments', 'list']);
    expect(environments).toEqual([
      expect.objectContaining({ name: 'shop', allowedOrigins: expect.any(Array), rateLimitPerKey: 50 }),
    ]);
  });

  it('updates one setting, keeps the others, and goes back to open and the default', async () => {
    const narrowed = await json(['environments', 'update', 'shop', '--allowed-origins', 'https://shop.example.com']);
    expect(narrowed).toMatchObject({ allowedOrigins: ['https://shop.example.com'], rateLimitPerKey: 50 });
    const text = await run([
      'environments',
      'update',
      'shop',
      '--allowed-origins',
      'open',
      '--rate-limit-per-key',
      'default',
    ]);
    expect(text.stdout).toBe(
      'Updated environment "shop": identity verification required, legacy tokens off, allowed origins any, rate limit per key default.\n',
    );
    const { environments } = await json(['environments', 'list']);
    expect(environments[0]).toMatchObject({
      allowedOrigins: null,
      rateLimitPerKey: null,
      identityVerification: 'required',
    });
  });

  it('refuses a bad origin or rate with one line naming it, and changes nothing', async () => {
    const badOrigin = await run([
      'environments',
      'update',
      'shop',
      '--allowed-origins',
      'https://shop.example.com/cart',
    ]);
    expect({ code: badOrigin.code, lines: badOrigin.stderr.trimEnd().split('\n') }).toEqual({
      code: 1,
      lines: [
        expect.stringMatching(
          /^error: "https:\/\/shop\.example\.com\/cart" has a path, query or fragment: use https:\/\/shop\.example\.com/,
        ),
      ],
    });
    const badRate = await run(['environments', 'update', 'shop', '--rate-limit-per-key', 'lots']);
    expect({ code: badRate.code, lines: badRate.stderr.trimEnd().split('\n') }).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^error: --rate-limit-per-key takes a whole number .*"default"/)],
    });
    const zero = await run(['environments', 'update', 'shop', '--rate-limit-per-key', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/rateLimitPerKey must be a whole number of requests a second from 1/);
    const { environments } = await json(['environments', 'list']);
    expect(environments[0]).toMatchObject({ allowedOrigins: null, rateLimitPerKey: null });
  });
});
