/**
 * The client's options: each one given, or read from `TESSERA_*` and then `DASHX_*` environment
 * variables (so a DashX setup works unchanged), validated once into a frozen settings object.
 * This is the only module that reads the environment.
 */
import { Limits } from '@tessera/protocol';
import { TesseraError } from '@tessera/sdk-core';

export interface ClientOptions {
  /**
   * The Tessera server, e.g. `https://tessera.example.com`. A DashX-style URL ending in
   * `/graphql` works too (the `/graphql` is dropped). Default: `TESSERA_BASE_URI`, then
   * `DASHX_BASE_URI`. Required.
   */
  baseUri?: string;
  /** The environment's public key. Default: `TESSERA_PUBLIC_KEY`, then `DASHX_PUBLIC_KEY`. Required. */
  publicKey?: string;
  /**
   * The environment's private key: needed for identify/track of users, identity tokens and the
   * account operations. Keep it on your backend. Default: `TESSERA_PRIVATE_KEY`, then `DASHX_PRIVATE_KEY`.
   */
  privateKey?: string;
  /**
   * The environment's name, e.g. `production`. When set, the server checks that the keys belong
   * to it, and identity tokens carry it as `aud` (valid in that environment only). Default:
   * `TESSERA_TARGET_ENVIRONMENT`, then `DASHX_TARGET_ENVIRONMENT`, else none (the keys' environment).
   */
  targetEnvironment?: string;
  /** Send a batch once this many events are queued (1-1000). Default: 20. */
  flushAt?: number;
  /** Send queued events at most this many ms after the first of them was tracked. Default: 10000. */
  flushInterval?: number;
  /** Most events held in memory; past it the oldest are dropped and reported. Default: 10000. */
  maxQueueSize?: number;
  /**
   * Retries of a batch after network errors, timeouts, 429 and 5xx, with exponential backoff from
   * 1 s (doubling, with jitter, capped at 5 min; `Retry-After` honoured) before its events are
   * dropped and reported. Default: 10 (4 to 8 minutes of waiting in all). Calls you await (identify, reads, export,
   * delete) retry at most twice, and only for waits up to 30 s.
   */
  maxRetries?: number;
  /** Time allowed for one HTTP request, in ms. Default: 15000. */
  timeout?: number;
  /**
   * Log every request (method, path, status, duration, event count, retries) — never keys,
   * tokens or payloads. `true` logs with `console.debug`; or pass your own function. Default: false.
   */
  debug?: boolean | ((line: string) => void);
  /**
   * Called when events are lost: refused by the server (never retried), undeliverable after the
   * retries, dropped from a full queue, or tracked after shutdown. Default: `console.warn`.
   */
  onError?: (error: TesseraError, lost: LostEvents) => void;
}

/** Which events an `onError` call is about. */
export interface LostEvents {
  /** The `messageId` of each event. */
  messageIds: string[];
}

/** Platform services, replaceable in tests. */
export interface ClientPorts {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Where the environment variables are read. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Clock in ms, used for timestamps and token times. Default: `Date.now`. */
  now?: () => number;
}

/** The validated settings. */
export interface Settings {
  /** Base URL ending in `/`, so `new URL('v1/batch', baseUrl)` keeps any path prefix. */
  readonly baseUrl: URL;
  readonly publicKey: string;
  readonly privateKey: string | undefined;
  readonly targetEnvironment: string | undefined;
  readonly flushAt: number;
  readonly flushInterval: number;
  readonly maxQueueSize: number;
  readonly maxRetries: number;
  readonly timeout: number;
  readonly log: ((line: string) => void) | undefined;
  readonly onError: (error: TesseraError, lost: LostEvents) => void;
}

const environmentNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const configError = (message: string) => new TesseraError('CONFIGURATION', message);

/**
 * Validates the options, filling each from the environment.
 * @throws TesseraError CONFIGURATION, with a message naming the option and its variables.
 * @example resolveSettings({ baseUri: 'http://127.0.0.1:4000', publicKey: 'pk_…' })
 */
export function resolveSettings(
  options: ClientOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Settings {
  if (typeof options !== 'object' || options === null) throw configError('createClient takes an options object');
  const pick = (value: unknown, name: string, variable: string): string | undefined => {
    if (value !== undefined && value !== null && value !== '') {
      if (typeof value !== 'string') throw configError(`${name} must be a string, got ${typeof value}`);
      return value;
    }
    const fromEnv = env[`TESSERA_${variable}`] || env[`DASHX_${variable}`];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const required = (name: string, variable: string) =>
    configError(`${name} is required: pass { ${name} } or set TESSERA_${variable} (or DASHX_${variable})`);

  const baseUri = pick(options.baseUri, 'baseUri', 'BASE_URI');
  if (baseUri === undefined) throw required('baseUri', 'BASE_URI');
  const publicKey = pick(options.publicKey, 'publicKey', 'PUBLIC_KEY');
  if (publicKey === undefined) throw required('publicKey', 'PUBLIC_KEY');
  const privateKey = pick(options.privateKey, 'privateKey', 'PRIVATE_KEY');
  const targetEnvironment = pick(options.targetEnvironment, 'targetEnvironment', 'TARGET_ENVIRONMENT');

  if (/^sk_/.test(publicKey)) {
    throw configError('publicKey is a private key (sk_…): pass the public key (pk_…) as publicKey');
  }
  if (publicKey === privateKey)
    throw configError('publicKey and privateKey are the same key: pass both halves of the pair');
  if (privateKey !== undefined && /^pk_/.test(privateKey)) {
    throw configError('privateKey is a public key (pk_…): pass the private key (sk_…) as privateKey');
  }
  for (const [name, key] of [
    ['publicKey', publicKey],
    ['privateKey', privateKey],
  ] as const) {
    if (key !== undefined && (key.trim() !== key || /[\s\0]/.test(key))) {
      throw configError(`${name} contains spaces or control characters: check how it is copied`);
    }
  }
  if (targetEnvironment !== undefined && !environmentNamePattern.test(targetEnvironment)) {
    throw configError(
      `targetEnvironment "${targetEnvironment}" is not an environment name ` +
        '(lower-case letters, digits, - and _, e.g. "production")',
    );
  }

  const flushAt = whole(options.flushAt, 'flushAt', 20, 1, Limits.maxBatchItems);
  const maxQueueSize = whole(options.maxQueueSize, 'maxQueueSize', Math.max(10_000, flushAt), flushAt, 10_000_000);
  const debug = options.debug;
  if (debug !== undefined && typeof debug !== 'boolean' && typeof debug !== 'function') {
    throw configError('debug must be true, false or a function (line: string) => void');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw configError('onError must be a function (error, lost) => void');
  }
  return Object.freeze({
    baseUrl: parseBaseUri(baseUri),
    publicKey,
    privateKey,
    targetEnvironment,
    flushAt,
    flushInterval: whole(options.flushInterval, 'flushInterval', 10_000, 1, 24 * 3600_000),
    maxQueueSize,
    maxRetries: whole(options.maxRetries, 'maxRetries', 10, 0, 100),
    timeout: whole(options.timeout, 'timeout', 15_000, 1, 10 * 60_000),
    log: debug === true ? (line: string) => console.debug(line) : debug || undefined,
    onError: options.onError ?? defaultOnError,
  });
}

function defaultOnError(error: TesseraError, lost: LostEvents): void {
  console.warn(`[tessera] ${lost.messageIds.length} event(s) lost: ${error.code}: ${error.message}`);
}

function whole(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw configError(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function parseBaseUri(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`baseUri "${value}" is not a URL: use e.g. https://tessera.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`baseUri must be an http:// or https:// URL, got "${url.protocol}"`);
  }
  if (url.username || url.password) throw configError('baseUri must not contain a user name or password');
  if (url.search || url.hash) throw configError('baseUri must not have a query string or fragment');
  // DashX setups point DASHX_BASE_URI at the GraphQL endpoint; the native API sits beside it.
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '/').replace(/\/*$/, '/');
  return url;
}
