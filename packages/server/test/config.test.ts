import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadSecretInputs, redactUrl } from '../src/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('config', () => {
  it('has defaults for a first run', () => {
    expect(loadConfig({}, {})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: 'pglite://./.tessera/data',
      adminToken: undefined,
      logLevel: 'info',
      trustProxy: false,
      basePath: '',
      metrics: true,
      metricsToken: undefined,
      requestLog: true,
      dbPoolSize: 10,
      dbStatementTimeoutMs: 5000,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      rateLimit: true,
      rateLimitPerKey: 1000,
      rateLimitPerIp: 100,
      rateLimitAdmin: 50,
      maxQueuedEvents: 10_000,
      maxEventLoopLagMs: 500,
    });
  });

  it('rejects bad limits and timeouts with one line naming the setting', () => {
    expect(() => loadConfig({}, { TESSERA_DB_POOL_SIZE: '0' })).toThrow(/TESSERA_DB_POOL_SIZE must be a whole number/);
    expect(() => loadConfig({}, { TESSERA_DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /TESSERA_DB_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({}, { TESSERA_RATE_LIMIT_PER_KEY: '1.5' })).toThrow(/TESSERA_RATE_LIMIT_PER_KEY/);
    expect(() => loadConfig({}, { TESSERA_RATE_LIMIT: 'maybe' })).toThrow(/TESSERA_RATE_LIMIT must be on or off/);
    expect(() =>
      loadConfig({}, { TESSERA_HTTP_HEADERS_TIMEOUT_MS: '60000', TESSERA_HTTP_REQUEST_TIMEOUT_MS: '30000' }),
    ).toThrow(/TESSERA_HTTP_HEADERS_TIMEOUT_MS must not be longer/);
    expect(() => loadConfig({}, { TESSERA_MAX_QUEUED_EVENTS: '0' })).toThrow(/TESSERA_MAX_QUEUED_EVENTS must be/);
    expect(() => loadConfig({}, { TESSERA_MAX_EVENT_LOOP_LAG_MS: 'never' })).toThrow(
      /TESSERA_MAX_EVENT_LOOP_LAG_MS must be a whole number or off/,
    );
    expect(loadConfig({}, { TESSERA_MAX_EVENT_LOOP_LAG_MS: 'off' }).maxEventLoopLagMs).toBe(0);
    expect(loadConfig({}, { TESSERA_MAX_EVENT_LOOP_LAG_MS: '0', TESSERA_MAX_QUEUED_EVENTS: '250' })).toMatchObject({
      maxEventLoopLagMs: 0,
      maxQueuedEvents: 250,
    });
    expect(loadConfig({ maxEventLoopLagMs: 'off' }, { TESSERA_MAX_EVENT_LOOP_LAG_MS: '200' }).maxEventLoopLagMs).toBe(
      0,
    );
    expect(loadConfig({}, { TESSERA_RATE_LIMIT: 'off', TESSERA_DB_POOL_SIZE: '25' })).toMatchObject({
      rateLimit: false,
      dbPoolSize: 25,
    });
  });

  it('reads TESSERA_TRUST_PROXY as off, true, a hop count or addresses and CIDRs', () => {
    const trust = (value: string) => loadConfig({}, { TESSERA_TRUST_PROXY: value }).trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(loadConfig({ trustProxy: '1' }, { TESSERA_TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'proxy.internal', '127.0.0.1,', '::1/129', 'yes']) {
      expect(() => trust(bad)).toThrow(/^TESSERA_TRUST_PROXY must be true, a hop count or a comma-separated list/);
    }
    expect(() => trust('1000')).toThrow(/TESSERA_TRUST_PROXY must be a hop count from 1 to 100/);
  });

  it('reads the environment and lets flags win', () => {
    const config = loadConfig(
      { port: '5000' },
      {
        PORT: '4100',
        HOST: '0.0.0.0',
        DATABASE_URL: 'memory://',
        LOG_LEVEL: 'warn',
        TESSERA_ADMIN_TOKEN: 'a'.repeat(16),
      },
    );
    expect(config).toMatchObject({ port: 5000, host: '0.0.0.0', databaseUrl: 'memory://', logLevel: 'warn' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses bad values with clear messages', () => {
    expect(() => loadConfig({}, { PORT: 'eighty' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({}, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with/);
    expect(() => loadConfig({}, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({}, { TESSERA_ADMIN_TOKEN: 'short' })).toThrow(/at least 16/);
  });

  it('never prints a database password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(() => loadConfig({}, { DATABASE_URL: 'mysql://app:s3cret@db/x' })).toThrow(/app:\*\*\*@/);
  });

  it('reads secrets from the files named by *_FILE, without their final newline', () => {
    const config = loadConfig(
      {},
      {
        DATABASE_URL_FILE: file('url', 'postgres://app:s3cret@db:5432/x\n'),
        TESSERA_ADMIN_TOKEN_FILE: file('token', '  a-token-from-a-file-0123\n'),
      },
    );
    expect(config).toMatchObject({
      databaseUrl: 'postgres://app:s3cret@db:5432/x',
      adminToken: 'a-token-from-a-file-0123',
    });
    // An empty variable is unset: the image's default URL can be switched off for the file.
    expect(loadConfig({}, { DATABASE_URL: '', DATABASE_URL_FILE: file('url2', 'memory://') }).databaseUrl).toBe(
      'memory://',
    );
    // A flag still wins over both.
    expect(loadConfig({ databaseUrl: 'memory://' }, { DATABASE_URL_FILE: join(dir, 'missing') }).databaseUrl).toBe(
      'memory://',
    );
  });

  it('says which *_FILE setting is wrong', () => {
    expect(() => loadConfig({}, { TESSERA_ADMIN_TOKEN_FILE: join(dir, 'missing') })).toThrow(
      /^TESSERA_ADMIN_TOKEN_FILE: cannot read .*missing \(ENOENT\)$/,
    );
    expect(() => loadConfig({}, { DATABASE_URL_FILE: file('empty', '\n') })).toThrow(/DATABASE_URL_FILE: .* is empty/);
    expect(() => loadConfig({}, { DATABASE_URL: 'memory://', DATABASE_URL_FILE: file('u', 'memory://') })).toThrow(
      'Set DATABASE_URL or DATABASE_URL_FILE, not both',
    );
    expect(() => loadConfig({}, { TESSERA_ADMIN_TOKEN_FILE: file('short', 'short') })).toThrow(/at least 16/);
  });

  it("gives the CLI's secrets from the environment", () => {
    expect(loadSecretInputs({ TESSERA_OPERATOR_PASSWORD: 'pw', TESSERA_IMPORT_PRIVATE_KEY: '' })).toEqual({
      operatorPassword: 'pw',
      importPrivateKey: undefined,
    });
  });
});
