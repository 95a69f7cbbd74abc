/**
 * The server's settings. This is the only module that reads `process.env`: it turns the
 * environment (and command-line overrides) into one frozen, validated object.
 */
import { invalidInput } from './errors.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  /** TCP port. `PORT`; default 4000. */
  readonly port: number;
  /** Interface to listen on. `HOST`; default 127.0.0.1 (local only). */
  readonly host: string;
  /** `pglite://<dir>`, `memory://` or `postgres://…`. `DATABASE_URL`; default `pglite://./.tessera/data`. */
  readonly databaseUrl: string;
  /** Bearer token for the admin API, for automation. `TESSERA_ADMIN_TOKEN`; default none. */
  readonly adminToken: string | undefined;
  /** `LOG_LEVEL`; default `info`. */
  readonly logLevel: LogLevel;
}

/** Values given on the command line; they win over the environment. */
export type ConfigOverrides = Partial<Record<keyof Config, string | number | undefined>>;

export const defaultDatabaseUrl = 'pglite://./.tessera/data';

/**
 * Builds the configuration from an environment (default `process.env`) and overrides.
 * @example loadConfig({ port: 0, databaseUrl: 'memory://' })
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const pick = (key: keyof Config, envName: string): string | undefined => {
    const fromFlag = overrides[key];
    if (fromFlag !== undefined && fromFlag !== '') return String(fromFlag);
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  const port = Number(pick('port', 'PORT') ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidInput(`PORT must be a whole number from 0 to 65535, got "${pick('port', 'PORT')}"`);
  }

  const databaseUrl = pick('databaseUrl', 'DATABASE_URL') ?? defaultDatabaseUrl;
  if (!/^(pglite:\/\/|memory:\/\/|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw invalidInput(
      `DATABASE_URL must start with pglite://, memory:// or postgres:// (got "${redactUrl(databaseUrl)}")`,
    );
  }

  const logLevel = (pick('logLevel', 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw invalidInput(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }

  const adminToken = pick('adminToken', 'TESSERA_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw invalidInput('TESSERA_ADMIN_TOKEN must be at least 16 characters long');
  }

  return Object.freeze({
    port,
    host: pick('host', 'HOST') ?? '127.0.0.1',
    databaseUrl,
    adminToken,
    logLevel,
  });
}

/** A database URL safe to print: the password, if any, is masked. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
