/** Public types of the Tessera client: options, the ports a platform plugs in, and results. */
import type { BatchItem, JsonObject, TesseraErrorCode, Traits } from '@tessera/protocol';
import type { TesseraError } from './errors.ts';

/** A value now, or later. Stores may be synchronous (localStorage) or not (AsyncStorage). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Key-value persistence. Keys are already namespaced (`tessera:…`).
 * @example
 *   const store: Store = { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
 */
export interface Store {
  get(key: string): MaybePromise<string | null>;
  set(key: string, value: string): MaybePromise<void>;
  remove(key: string): MaybePromise<void>;
  /** Keys that start with `prefix`; lets a tab adopt the queue a closed tab left behind. Optional. */
  keys?(prefix: string): MaybePromise<string[]>;
}

/** One HTTP request to the Tessera server. */
export interface TransportRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What the server answered. `body` is the parsed JSON body when there was one. */
export interface TransportResponse {
  status: number;
  /** The `Retry-After` header as sent (seconds or an HTTP date). */
  retryAfter?: string | null;
  body?: unknown;
}

/**
 * Sends requests. `send` rejects only on network errors; any HTTP status resolves.
 * @example
 *   const transport: Transport = { send: async (r) => ({ status: (await fetch(r.url, { method: 'POST', ...r })).status }) };
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** A send that outlives the page (`navigator.sendBeacon`); returns false when refused. Optional. */
  beacon?(url: string, body: string): boolean;
}

/** Time, so tests can fake it. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Connectivity, where the platform knows it. */
export interface Network {
  online(): boolean;
  onOnline(listener: () => void): void;
}

/**
 * Several instances sharing one store (browser tabs). Each keeps its own queue; a queue whose
 * instance is gone is adopted by a live one under `lock`, so no two send the same event.
 */
export interface Instances {
  /** This instance's id, unique among those alive. */
  id: string;
  /** Which of these instance ids belong to instances that no longer run. */
  abandoned(ids: string[]): Promise<string[]>;
  /** Runs `fn` holding the exclusive lock `name` across instances. */
  lock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The ports a platform plugs into the core.
 * @example
 *   createClient(options, { transport, store, clock, library: { name: '@tessera/browser', version: '0.1.0' } });
 */
export interface Platform {
  transport: Transport;
  store: Store;
  clock: Clock;
  /** Default: always online. */
  network?: Network;
  /** Default: a single instance. */
  instances?: Instances;
  /** Uniform in [0, 1), for jitter. Default: `Math.random`. */
  random?: () => number;
  /** Decodes Base64 to a binary string, like `atob`; lets the SDK read a token's `exp` and refresh before it. Default: none (refresh only after the server says "Expired"). */
  base64?: (s: string) => string;
  /** A UUID v4. Default: built from `random`. */
  uuid?: () => string;
  /** Extra fields for each event's `context` (page, locale, …). */
  context?: () => JsonObject;
  /** Sent as `context.library`. */
  library: { name: string; version: string };
}

/** Options of `createClient`, the same on every platform. */
export interface ClientOptions {
  /** The environment's public key (`pk_…`). Required. */
  publicKey: string;
  /** The Tessera server's origin, e.g. `https://tessera.example.com`; events go to `${baseUri}/v1/batch`. Required. */
  baseUri: string;
  /** Sent as `X-Target-Environment`; must be the key's environment. Default: not sent. */
  targetEnvironment?: string;
  /** Returns a fresh identity token for the current user. Default: none (an expired token drops its events). */
  identityTokenProvider?: () => Promise<string>;
  /** Told about every event that was dropped or refused, and when token refresh gives up. Default: none. */
  onError?: (error: TesseraError) => void;
  /** Send as soon as this many events are queued. Default: 20. */
  flushAt?: number;
  /** Send queued events at least this often, in ms. Default: 5000. */
  flushInterval?: number;
  /** Most events kept waiting; beyond it the oldest is dropped and counted. Default: 1000. */
  maxQueueSize?: number;
  /** Most events in one request. Default: 100 (the server takes 1000). */
  maxBatchSize?: number;
  /** Token refreshes or expiry rejections in a row before giving up. Default: 3. */
  maxTokenRefreshAttempts?: number;
  /** Start opted out (nothing stored or sent) unless the user chose with `optIn()`/`optOut()` before. Default: false. */
  optedOut?: boolean;
}

/** An event (or traits update) the server refused for bad input: reported, never retried. */
export interface RejectedEvent {
  /** The id the SDK gave the call. */
  messageId: string;
  /** The event's name; absent for `identify` (traits). */
  event?: string;
  /** The server's code, e.g. `INVALID_INPUT`. */
  code: TesseraErrorCode;
  message: string;
}

/** What a flush did, the same in every SDK. Expected outcomes are values, not exceptions. */
export interface FlushResult {
  /**
   * `done`: everything the flush set out to send was settled (`@tessera/node` always waits for
   * that); the others say why sending stopped early: `retry-later` (backing off), `offline`,
   * `opted-out`, `paused` (token refresh gave up).
   */
  kind: 'done' | 'retry-later' | 'offline' | 'opted-out' | 'paused';
  /** Events the server stored (or had stored already, for a retried event). */
  delivered: number;
  /** Events the server refused for bad input: reported, never retried. */
  rejected: RejectedEvent[];
  /** Events lost without being stored while the flush ran: refused as a whole, too large, retries used up, shut down. */
  dropped: number;
}

/**
 * A Tessera client. The same on every platform.
 * @example
 *   const tessera = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' });
 *   tessera.track('Viewed Pricing', { plan: 'pro' });
 */
export interface TesseraClient {
  /** This device's anonymous uid (a UUID v4), minted on first use and kept. */
  readonly anonymousUid: string;
  /** The logged-in user's uid, or null. */
  readonly uid: string | null;
  /** Whether the user opted out. */
  readonly optedOut: boolean;
  /** Events dropped because the queue was full, since creation. */
  readonly droppedCount: number;
  /** Resolves once stored state is loaded (immediate with synchronous stores). */
  readonly ready: Promise<void>;
  /** Saves traits on the current account (the visitor, or the user after `setIdentity`). */
  identify(traits?: Traits): void;
  /** Sets the uid, then saves traits on it. Needs `setIdentity`'s token unless the environment is `optional`. */
  identify(uid: string, traits?: Traits): void;
  /** Records an event. */
  track(event: string, data?: JsonObject): void;
  /** After login: the user's uid and the identity token your backend signed for them. */
  setIdentity(uid?: string | null, token?: string | null): void;
  /** Replaces the anonymous uid; throws `Anonymous UID must be a valid UUID` unless it is a UUID v4. */
  setAnonymousIdentity(anonymousUid: string): void;
  /** On logout: a new anonymous uid, no uid, no token. Events already queued are still delivered. */
  reset(): void;
  /** Stops storing and sending, and forgets the queue and the stored identity. Remembered. */
  optOut(): void;
  /** Undoes `optOut()`. Remembered. */
  optIn(): void;
  /** Sends what is queued now (unless waiting out a backoff or offline). */
  flush(): Promise<FlushResult>;
  /** Hands the queue to the beacon transport; platforms call it when the page goes away. */
  flushOnExit(): void;
  /** Stops timers; the queue stays stored. */
  close(): void;
}

/** A queued event: the wire item and the token it was recorded under (for its user only). */
export interface Queued {
  i: BatchItem;
  t?: string;
}
