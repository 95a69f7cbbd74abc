// Options, environment fallbacks, validation, debug logging — no server needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createClient, isTesseraError, TesseraError, VERSION, type ClientOptions } from '../src/index.ts';

const PK = 'pk_0123456789ABCDEFGHIJKLMNOPQRS';
const SK = 'sk_0123456789ABCDEFGHIJKLMNOPQRS';

/** A fetch that records each request and answers like the server: 200 `{ accepted: 1 }`. */
function recordingFetch() {
  const requests: Array<{ url: string; method: string; headers: Record<string, string>; body: any }> = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return new Response(JSON.stringify({ accepted: 1, rejected: [] }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { fetchFn, requests };
}

const configError = (options: ClientOptions, env: Record<string, string> = {}) => {
  try {
    createClient(options, { env });
  } catch (err) {
    expect(isTesseraError(err)).toBe(true);
    expect((err as TesseraError).code).toBe('CONFIGURATION');
    return (err as TesseraError).message;
  }
  throw new Error('expected createClient to throw');
};

describe('createClient options', () => {
  it('reads each option from TESSERA_*, then DASHX_*, and lets a given option win', async () => {
    const { fetchFn, requests } = recordingFetch();
    const env = {
      TESSERA_BASE_URI: 'http://tessera.test:4000',
      DASHX_BASE_URI: 'https://api.dashx.com/graphql',
      DASHX_PUBLIC_KEY: PK,
      DASHX_PRIVATE_KEY: SK,
      TESSERA_TARGET_ENVIRONMENT: 'staging',
      DASHX_TARGET_ENVIRONMENT: 'production',
    };
    await createClient({}, { env, fetch: fetchFn }).identify('u1');
    expect(requests[0]).toMatchObject({
      url: 'http://tessera.test:4000/v1/identify',
      headers: { 'x-public-key': PK, 'x-private-key': SK, 'x-target-environment': 'staging' },
    });
    await createClient(
      { targetEnvironment: 'production', baseUri: 'http://other.test' },
      { env, fetch: fetchFn },
    ).identify('u1');
    expect(requests[1]).toMatchObject({
      url: 'http://other.test/v1/identify',
      headers: { 'x-target-environment': 'production' },
    });
  });

  it("works with a DashX setup's variables unchanged: the /graphql URL leads to the native API", async () => {
    const { fetchFn, requests } = recordingFetch();
    const env = { DASHX_BASE_URI: 'https://tessera.example.com/graphql', DASHX_PUBLIC_KEY: PK, DASHX_PRIVATE_KEY: SK };
    const client = createClient(undefined, { env, fetch: fetchFn });
    await client.identify('u1');
    client.track('Clicked', 'u1');
    await client.flush();
    expect(requests.map((r) => r.url)).toEqual([
      'https://tessera.example.com/v1/identify',
      'https://tessera.example.com/v1/batch',
    ]);
    expect(requests[0]!.headers).not.toHaveProperty('x-target-environment');
    // A path prefix (a server behind a proxy) is kept.
    const prefixed = createClient({ baseUri: 'https://example.com/tessera' }, { env, fetch: fetchFn });
    await prefixed.identify('u1');
    expect(requests[2]!.url).toBe('https://example.com/tessera/v1/identify');
  });

  it('says which option is missing and where it may come from', () => {
    expect(configError({ publicKey: PK })).toBe(
      'baseUri is required: pass { baseUri } or set TESSERA_BASE_URI (or DASHX_BASE_URI)',
    );
    expect(configError({ baseUri: 'http://x.test' })).toBe(
      'publicKey is required: pass { publicKey } or set TESSERA_PUBLIC_KEY (or DASHX_PUBLIC_KEY)',
    );
    // The private key is optional until a call needs it.
    expect(() => createClient({ baseUri: 'http://x.test', publicKey: PK }, { env: {} })).not.toThrow();
  });

  it('refuses invalid options at construction', () => {
    const base = { baseUri: 'http://x.test', publicKey: PK, privateKey: SK };
    expect(configError({ ...base, baseUri: 'tessera.example.com' })).toMatch(/not a URL/);
    expect(configError({ ...base, baseUri: 'ftp://x.test' })).toMatch(/http/);
    expect(configError({ ...base, baseUri: 'http://user:pw@x.test' })).toMatch(/password/);
    expect(configError({ ...base, publicKey: SK, privateKey: undefined })).toMatch(/publicKey is a private key/);
    expect(configError({ ...base, privateKey: 'pk_another' })).toMatch(/privateKey is a public key/);
    expect(configError({ ...base, publicKey: 'same', privateKey: 'same' })).toMatch(/same key/);
    expect(configError({ ...base, publicKey: `${PK}\n` })).toMatch(/spaces or control characters/);
    expect(configError({ ...base, targetEnvironment: 'Production' })).toMatch(/not an environment name/);
    expect(configError({ ...base, flushAt: 0 })).toMatch(/flushAt must be a whole number from 1 to 1000/);
    expect(configError({ ...base, flushAt: 1001 })).toMatch(/flushAt/);
    expect(configError({ ...base, flushInterval: 1.5 })).toMatch(/flushInterval/);
    expect(configError({ ...base, maxRetries: -1 })).toMatch(/maxRetries/);
    expect(configError({ ...base, timeout: 0 })).toMatch(/timeout/);
    expect(configError({ ...base, debug: 'yes' as never })).toMatch(/debug/);
    expect(configError({ ...base, publicKey: 42 as never })).toMatch(/publicKey must be a string/);
  });

  it('logs requests in debug mode, never keys, tokens or payloads', async () => {
    const { fetchFn } = recordingFetch();
    const lines: string[] = [];
    const client = createClient(
      { baseUri: 'http://x.test', publicKey: PK, privateKey: SK, debug: (line) => lines.push(line) },
      { env: {}, fetch: fetchFn },
    );
    await client.identify('u1', { email: 'secret-trait@example.com' });
    client.track('Clicked', 'u1', { card: '4242' });
    await client.flush();
    client.generateIdentityToken('u1');
    expect(lines).toEqual([
      expect.stringMatching(/^\[tessera\] client .* for http:\/\/x\.test\/ \(public key pk_0123…, private key set/),
      expect.stringMatching(/^\[tessera\] POST \/v1\/identify → 200 in \d+ ms$/),
      expect.stringMatching(/^\[tessera\] POST \/v1\/batch \(1 event\) → 200 in \d+ ms$/),
    ]);
    const all = lines.join('\n');
    for (const secret of [SK, PK, 'secret-trait', '4242', 'eyJ']) expect(all).not.toContain(secret);
  });

  it('validates track() input at once, so a bad call fails where it is made', () => {
    const client = createClient({ baseUri: 'http://x.test', publicKey: PK, privateKey: SK }, { env: {} });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const bad: Array<[() => void, RegExp]> = [
      [() => client.track('', 'u1'), /event must be a non-empty string/],
      [() => client.track('x'.repeat(201), 'u1'), /longer than 200/],
      [() => client.track('Ok', ''), /uid must not be empty/],
      [() => client.track('Ok', 'u'.repeat(256)), /uid is longer than 255/],
      [() => client.track('Ok', { id: 1 } as never), /uid must be a string/],
      [() => client.track('Ok', 'u1', [1, 2] as never), /data must be an object, got an array/],
      [() => client.track('Ok', 'u1', circular), /data is not JSON-serializable/],
      [() => client.track('Ok', 'u1', { big: 'x'.repeat(40_000) }), /larger than 32768 bytes/],
      [() => client.track('Ok', 'u1', {}, { timestamp: 'yesterday' }), /timestamp/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(message);
      try {
        call();
      } catch (err) {
        expect(err).toBeInstanceOf(TesseraError);
        expect((err as TesseraError).code).toBe('INVALID_INPUT');
      }
    }
  });

  it('sends the version that package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
