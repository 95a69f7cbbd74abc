/**
 * The server's settings. This is the only module that reads `process.env`: it turns the
 * environment (and command-line overrides) into one frozen, validated object.
 */
import { readFileSync } from 'node:fs';
import { invalidInput } from './errors.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  /** TCP port. `PORT`; default 4000. */
  readonly port: number;
  /** Interface to listen on. `HOST`; default 127.0.0.1 (local only). */
  readonly host: string;
  /**
   * `pglite://<dir>`, `memory://` or `postgres://…`. `DATABASE_URL`, or the file named by
   * `DATABASE_URL_FILE`; default `pglite://./.tessera/data`.
   */
  readonly databaseUrl: string;
  /**
   * Bearer token for the admin API, for automation. `TESSERA_ADMIN_TOKEN`, or the file named by
   * `TESSERA_ADMIN_TOKEN_FILE`; default none.
   */
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
    return nonEmpty(env[envName]);
  };
  /** A secret may come from a file instead (container secrets): `NAME_FILE`, never both. */
  const pickSecret = (key: keyof Config, envName: string): string | undefined => {
    const fromFlag = overrides[key];
    if (fromFlag !== undefined && fromFlag !== '') return String(fromFlag);
    const value = nonEmpty(env[envName]);
    const file = nonEmpty(env[`${envName}_FILE`]);
    if (file === undefined) return value;
    if (value !== undefined) throw invalidInput(`Set ${envName} or ${envName}_FILE, not both`);
    return readSecretFile(file, `${envName}_FILE`);
  };

  const port = Number(pick('port', 'PORT') ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidInput(`PORT must be a whole number from 0 to 65535, got "${pick('port', 'PORT')}"`);
  }

  const databaseUrl = pickSecret('databaseUrl', 'DATABASE_URL') ?? defaultDatabaseUrl;
  if (!/^(pglite:\/\/|memory:\/\/|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw invalidInput(
      `DATABASE_URL must start with pglite://, memory:// or postgres:// (got "${redactUrl(databaseUrl)}")`,
    );
  }

  const logLevel = (pick('logLevel', 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw invalidInput(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }

  const adminToken = pickSecret('adminToken', 'TESSERA_ADMIN_TOKEN');
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

/** Secrets the `tessera` command may take from its environment instead of its arguments. */
export interface SecretInputs {
  /** A new operator's password (`init`, `operators create`, `operators set-password`). `TESSERA_OPERATOR_PASSWORD`. */
  readonly operatorPassword: string | undefined;
  /** The private key of `keys import`. `TESSERA_IMPORT_PRIVATE_KEY`. */
  readonly importPrivateKey: string | undefined;
}

/**
 * The secrets of the environment that CLI commands accept in place of a flag.
 * @example loadSecretInputs().operatorPassword
 */
export function loadSecretInputs(env: NodeJS.ProcessEnv = process.env): SecretInputs {
  return Object.freeze({
    operatorPassword: nonEmpty(env.TESSERA_OPERATOR_PASSWORD),
    importPrivateKey: nonEmpty(env.TESSERA_IMPORT_PRIVATE_KEY),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A secret kept in a file: its content without surrounding whitespace (`echo` adds a newline). */
function readSecretFile(path: string, setting: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw invalidInput(`${setting}: cannot read ${path} (${code})`);
  }
  const value = text.trim();
  if (value === '') throw invalidInput(`${setting}: ${path} is empty`);
  return value;
}

/** A database URL safe to print: the password, if any, is masked. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
