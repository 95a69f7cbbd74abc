/**
 * The server's settings. This is the only module that reads `process.env`: it turns the
 * environment (and command-line overrides) into one frozen, validated object.
 */
import { readFileSync } from 'node:fs';
import { invalidInput } from './errors.ts';
import { parseBasePath } from './base-path.ts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

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
  /**
   * Which peers' `X-Forwarded-For` / `X-Forwarded-Proto` to believe (a reverse proxy in front).
   * `TESSERA_TRUST_PROXY`: `true`, a hop count, or addresses/CIDRs such as `127.0.0.1,10.0.0.0/8`;
   * default off (the headers are ignored).
   */
  readonly trustProxy: TrustProxy;
  /**
   * Path prefix every route (APIs, health checks, dashboard) is served under, for a proxy that
   * forwards a sub-path unchanged. `TESSERA_BASE_PATH`, e.g. `/tessera`; default none.
   */
  readonly basePath: string;
  /** Prometheus metrics at `GET /metrics`. `TESSERA_METRICS`: `on` (default) or `off` (nothing collected, no route). */
  readonly metrics: boolean;
  /**
   * Bearer token `GET /metrics` requires. `TESSERA_METRICS_TOKEN`, or the file named by
   * `TESSERA_METRICS_TOKEN_FILE`; default none (the route is open: keep it off the internet).
   */
  readonly metricsToken: string | undefined;
  /** One `info` line per completed request. `TESSERA_REQUEST_LOG`: `on` (default) or `off`. */
  readonly requestLog: boolean;
  /** Most PostgreSQL connections this process opens. `TESSERA_DB_POOL_SIZE`; default 10. */
  readonly dbPoolSize: number;
  /**
   * Longest a statement, or the wait for a pooled connection, may take before the request is
   * answered 503 (a hung or overloaded database). `TESSERA_DB_STATEMENT_TIMEOUT_MS`; default 5000.
   */
  readonly dbStatementTimeoutMs: number;
  /**
   * Longest a client may take to send a request's headers before its connection is closed (slow,
   * half-sent requests). `TESSERA_HTTP_HEADERS_TIMEOUT_MS`; default 10000.
   */
  readonly httpHeadersTimeoutMs: number;
  /** Longest a client may take to send a whole request. `TESSERA_HTTP_REQUEST_TIMEOUT_MS`; default 30000. */
  readonly httpRequestTimeoutMs: number;
  /** Request rate limits (429 RATE_LIMITED). `TESSERA_RATE_LIMIT`: `on` (default) or `off`. */
  readonly rateLimit: boolean;
  /** Ingest requests a second per public key (burst: twice that). `TESSERA_RATE_LIMIT_PER_KEY`; default 1000. */
  readonly rateLimitPerKey: number;
  /**
   * Ingest requests a second per client address with missing or wrong credentials (burst: twice
   * that). `TESSERA_RATE_LIMIT_PER_IP`; default 100.
   */
  readonly rateLimitPerIp: number;
  /** Admin API and dashboard requests a second per client address (burst: twice that). `TESSERA_RATE_LIMIT_ADMIN`; default 50. */
  readonly rateLimitAdmin: number;
  /**
   * Most ingest items (events and identifies) admitted and not yet answered — waiting for their
   * account, in the event writer's queue or in its flush — before new ingest requests are
   * answered 503 UNAVAILABLE with `Retry-After` (services/load-shedder.ts).
   * `TESSERA_MAX_QUEUED_EVENTS`; default 10000.
   */
  readonly maxQueuedEvents: number;
  /**
   * Event-loop lag (mean over half a second) above which new ingest requests are answered 503.
   * `TESSERA_MAX_EVENT_LOOP_LAG_MS`; default 500; `0` or `off` turns the check off.
   */
  readonly maxEventLoopLagMs: number;
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

  const httpHeadersTimeoutMs = wholeNumber(
    pick('httpHeadersTimeoutMs', 'TESSERA_HTTP_HEADERS_TIMEOUT_MS'),
    'TESSERA_HTTP_HEADERS_TIMEOUT_MS',
    10_000,
    100,
  );
  const httpRequestTimeoutMs = wholeNumber(
    pick('httpRequestTimeoutMs', 'TESSERA_HTTP_REQUEST_TIMEOUT_MS'),
    'TESSERA_HTTP_REQUEST_TIMEOUT_MS',
    30_000,
    100,
  );
  if (httpHeadersTimeoutMs > httpRequestTimeoutMs) {
    throw invalidInput('TESSERA_HTTP_HEADERS_TIMEOUT_MS must not be longer than TESSERA_HTTP_REQUEST_TIMEOUT_MS');
  }

  return Object.freeze({
    port,
    host: pick('host', 'HOST') ?? '127.0.0.1',
    databaseUrl,
    adminToken,
    logLevel,
    trustProxy: parseTrustProxy(pick('trustProxy', 'TESSERA_TRUST_PROXY')),
    basePath: parseBasePath(pick('basePath', 'TESSERA_BASE_PATH')),
    metrics: onOff(pick('metrics', 'TESSERA_METRICS'), 'TESSERA_METRICS'),
    metricsToken: pickSecret('metricsToken', 'TESSERA_METRICS_TOKEN'),
    requestLog: onOff(pick('requestLog', 'TESSERA_REQUEST_LOG'), 'TESSERA_REQUEST_LOG'),
    dbPoolSize: wholeNumber(pick('dbPoolSize', 'TESSERA_DB_POOL_SIZE'), 'TESSERA_DB_POOL_SIZE', 10, 1),
    dbStatementTimeoutMs: wholeNumber(
      pick('dbStatementTimeoutMs', 'TESSERA_DB_STATEMENT_TIMEOUT_MS'),
      'TESSERA_DB_STATEMENT_TIMEOUT_MS',
      5000,
      100,
    ),
    httpHeadersTimeoutMs,
    httpRequestTimeoutMs,
    rateLimit: onOff(pick('rateLimit', 'TESSERA_RATE_LIMIT'), 'TESSERA_RATE_LIMIT'),
    rateLimitPerKey: wholeNumber(
      pick('rateLimitPerKey', 'TESSERA_RATE_LIMIT_PER_KEY'),
      'TESSERA_RATE_LIMIT_PER_KEY',
      1000,
      1,
    ),
    rateLimitPerIp: wholeNumber(
      pick('rateLimitPerIp', 'TESSERA_RATE_LIMIT_PER_IP'),
      'TESSERA_RATE_LIMIT_PER_IP',
      100,
      1,
    ),
    rateLimitAdmin: wholeNumber(pick('rateLimitAdmin', 'TESSERA_RATE_LIMIT_ADMIN'), 'TESSERA_RATE_LIMIT_ADMIN', 50, 1),
    maxQueuedEvents: wholeNumber(
      pick('maxQueuedEvents', 'TESSERA_MAX_QUEUED_EVENTS'),
      'TESSERA_MAX_QUEUED_EVENTS',
      10_000,
      1,
    ),
    maxEventLoopLagMs: wholeNumberOrOff(
      pick('maxEventLoopLagMs', 'TESSERA_MAX_EVENT_LOOP_LAG_MS'),
      'TESSERA_MAX_EVENT_LOOP_LAG_MS',
      500,
    ),
  });
}

/** A whole number setting of at least `min`, `fallback` when unset. */
function wholeNumber(value: string | undefined, setting: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw invalidInput(`${setting} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** A whole number setting, `fallback` when unset; `off` (or `0`) is 0: the check is off. */
function wholeNumberOrOff(value: string | undefined, setting: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 'off') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw invalidInput(`${setting} must be a whole number or off, got "${value}"`);
  return n;
}

/** An `on`/`off` switch, on when unset. */
function onOff(value: string | undefined, setting: string): boolean {
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  throw invalidInput(`${setting} must be on or off, got "${value}"`);
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
