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
    });
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
