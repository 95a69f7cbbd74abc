import { describe, expect, it } from 'vitest';
import { loadConfig, redactUrl } from '../src/config.ts';

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
});
