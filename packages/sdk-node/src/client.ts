/**
 * The Tessera client for Node backends: identify and track people with the private key, sign
 * identity tokens, and read, export or delete an account.
 */
import { randomUUID } from 'node:crypto';
import { Limits, type IdentifyItem, type TrackItem } from '@tessera/protocol';
import { TesseraError, type FlushResult } from '@tessera/sdk-core';
import { fromWire, type WireAccount, type WireEventPage } from './accounts.ts';
import { Batcher, MAX_EVENT_BYTES, isBatchResponse } from './batcher.ts';
import { Http, type HttpRequest, type RetryPolicy } from './http.ts';
import { resolveSettings, type ClientOptions, type ClientPorts, type Settings } from './options.ts';
import { signIdentityToken } from './token.ts';
import type {
  Account,
  AccountExport,
  DeleteResult,
  EventData,
  EventPage,
  IdentifyResult,
  IdentifyTraits,
  IdentityTokenOptions,
  ListEventsOptions,
  ShutdownResult,
  TrackOptions,
} from './types.ts';
import { VERSION } from './version.ts';

/** Calls you await retry at most twice, and never wait more than 30 s in between. */
const INTERACTIVE: RetryPolicy = { maxRetries: 2, maxWaitMs: 30_000 };
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
const context = { library: { name: '@tessera/node', version: VERSION } };

export class TesseraClient {
  readonly #settings: Settings;
  readonly #http: Http;
  readonly #batcher: Batcher;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  #shutdown: Promise<ShutdownResult> | undefined;

  /** Use `createClient()`. */
  constructor(options: ClientOptions = {}, ports: ClientPorts = {}) {
    this.#settings = resolveSettings(options, ports.env);
    this.#now = ports.now ?? Date.now;
    const fetchFn = ports.fetch ?? globalThis.fetch;
    if (typeof fetchFn !== 'function') throw new TesseraError('CONFIGURATION', 'No fetch: use Node 20 or later');
    this.#http = new Http(this.#settings, fetchFn, this.#now);
    this.#batcher = new Batcher(this.#settings, this.#http, this.#now, this.#abort.signal);
    const s = this.#settings;
    this.#http.log(
      `[tessera] client ${VERSION} for ${s.baseUrl.href} (public key ${s.publicKey.slice(0, 7)}…, ` +
        `private key ${s.privateKey ? 'set' : 'not set'}, environment ${s.targetEnvironment ?? "the keys' own"})`,
    );
  }

  /**
   * Creates or updates a user (`identify(uid, traits)`) or a visitor (`identify(traits)`: a fresh
   * anonymous uid unless `traits.anonymousUid` names one). Sent at once, not batched: the promise
   * resolves once the server has stored it. `traits.anonymousUid` with a uid merges that visitor
   * into the user.
   * @throws TesseraError INVALID_INPUT (bad uid or traits), UNAUTHORIZED (keys), NETWORK, …
   * @example
   * await tessera.identify('user-123', { email: 'ada@example.com', firstName: 'Ada', plan: 'pro' });
   * const { anonymousUid } = await tessera.identify({ email: 'visitor@example.com' });
   */
  identify(uid: string | number, traits?: IdentifyTraits): Promise<IdentifyResult>;
  identify(traits?: IdentifyTraits): Promise<IdentifyResult>;
  async identify(
    uidOrTraits?: string | number | IdentifyTraits,
    maybeTraits?: IdentifyTraits,
  ): Promise<IdentifyResult> {
    this.#assertOpen();
    const positional = typeof uidOrTraits === 'string' || typeof uidOrTraits === 'number';
    const given = positional ? maybeTraits : uidOrTraits;
    if (given !== undefined && given !== null && !isPlainObject(given)) {
      throw invalid(`traits must be an object, got ${describeType(given)}`);
    }
    const { uid: uidTrait, anonymousUid: anonymousTrait, ...traits } = given ?? {};
    const uid = positional
      ? checkId(uidOrTraits, 'uid')
      : uidTrait == null
        ? undefined
        : checkId(uidTrait, 'traits.uid');
    if (positional && uidTrait != null && String(uidTrait) !== uid) {
      throw invalid(`identify("${uid}", traits) has traits.uid "${String(uidTrait)}": pass the uid once`);
    }
    let anonymousUid = anonymousTrait == null ? undefined : checkId(anonymousTrait, 'anonymousUid');
    // Like @dashx/node: identify(traits) stands for a new visitor unless it names one.
    if (uid === undefined && anonymousUid === undefined) anonymousUid = randomUUID();

    const item: Omit<IdentifyItem, 'type'> = {
      messageId: randomUUID(),
      ...(uid === undefined ? {} : { uid }),
      ...(anonymousUid === undefined ? {} : { anonymousUid }),
      traits: JSON.parse(serialize(traits, 'traits')) as IdentifyItem['traits'],
      timestamp: new Date(this.#now()).toISOString(),
      context,
    };
    const answer = await this.#call({ method: 'POST', path: 'v1/identify', body: this.#withSentAt(item) });
    if (!isBatchResponse(answer)) {
      throw new TesseraError(
        'UNEXPECTED_RESPONSE',
        'POST /v1/identify answered 200 without { accepted }: is baseUri a Tessera server?',
      );
    }
    return { uid, anonymousUid };
  }

  /**
   * Records that user `uid` did `event`. Returns at once: events are sent in batches in the
   * background (see `flushAt`, `flushInterval`); `flush()` waits for them. Each event carries a
   * `messageId`, so a retried batch never stores an event twice.
   * After `shutdown()` the event is not sent: `onError` reports it (SHUT_DOWN), nothing throws.
   * @throws TesseraError INVALID_INPUT at once for a bad name, uid, data or options.
   * @example tessera.track('Order Placed', 'user-123', { total: 42, currency: 'EUR' });
   */
  track(event: string, uid: string | number, data?: EventData, options: TrackOptions = {}): void {
    if (typeof event !== 'string' || event.trim() === '') throw invalid('event must be a non-empty string');
    if (event.length > Limits.maxEventNameLength) {
      throw invalid(`event is longer than ${Limits.maxEventNameLength} characters`);
    }
    const id = checkId(uid, 'uid');
    if (data !== undefined && data !== null && !isPlainObject(data)) {
      throw invalid(`data must be an object, got ${describeType(data)}`);
    }
    // Serialized once, now: a snapshot (later changes to `data` do not change the event), reused by retries.
    const dataText = data == null ? undefined : serialize(data, 'data');
    if (dataText !== undefined && Buffer.byteLength(dataText) > Limits.maxJsonBytes) {
      throw invalid(`data is larger than ${Limits.maxJsonBytes} bytes once serialized`);
    }
    const { timestamp, messageId: givenId } = options ?? {};
    const messageId = givenId === undefined ? randomUUID() : checkId(givenId, 'messageId');
    const item: Omit<TrackItem, 'data'> = {
      type: 'track',
      messageId,
      uid: id,
      event,
      timestamp: timestampOf(timestamp, this.#now()),
      context,
    };
    const head = JSON.stringify(item);
    const json = dataText === undefined ? head : `${head.slice(0, -1)},"data":${dataText}}`;
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_EVENT_BYTES) throw invalid(`the event is ${bytes} bytes, more than a request may carry`);
    if (this.#shutdown !== undefined) {
      // Analytics must not break the app while it shuts down: report the event as lost instead.
      const error = new TesseraError('SHUT_DOWN', `track("${event}") after shutdown(): the event was not sent`);
      try {
        this.#settings.onError(error, { messageIds: [messageId] });
      } catch {
        // onError's own failure must not escape track() either.
      }
      return;
    }
    this.#batcher.enqueue({ messageId, event, json, bytes });
  }

  /**
   * Sends the queued events now and resolves with what happened to them. Never rejects.
   * @example const { delivered, rejected, dropped } = await tessera.flush();
   */
  flush(): Promise<FlushResult> {
    return this.#batcher.flush();
  }

  /**
   * Stops taking calls and delivers what is queued within `timeoutMs` (default 10 s); at the
   * timeout, requests still running are aborted and their events reported as dropped. Idempotent.
   * @example process.on('SIGTERM', async () => { await tessera.shutdown(); process.exit(0); });
   */
  shutdown(timeoutMs: number = DEFAULT_SHUTDOWN_TIMEOUT_MS): Promise<ShutdownResult> {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(invalid('shutdown(timeoutMs) takes a number of milliseconds ≥ 0'));
    }
    this.#shutdown ??= (async () => {
      const timer = setTimeout(() => this.#abort.abort(), timeoutMs);
      try {
        const [result] = await Promise.all([this.#batcher.flush(), Promise.allSettled([...this.#inFlight])]);
        return { ...result, timedOut: this.#abort.signal.aborted };
      } finally {
        clearTimeout(timer);
        // Whatever runs now (a retry wait, a request) stops.
        this.#abort.abort();
      }
    })();
    return this.#shutdown;
  }

  /** `await using tessera = createClient(…)` shuts down at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /**
   * Signs an identity token for user `uid` — a JWT (HS256) with `uid`, `kind: "USER"`, `iat`,
   * `exp`, and `aud` = `targetEnvironment` when that is configured (the token then works in that
   * environment only; without it, `aud` is left out). Frontends pass it to `setIdentity(uid, token)`.
   * @throws TesseraError CONFIGURATION without a private key, INVALID_INPUT without a uid.
   * @example const token = tessera.generateIdentityToken(user.id, { expiresIn: '1d' });
   */
  generateIdentityToken(uid: string | number, options: IdentityTokenOptions = {}): string {
    return signIdentityToken(uid, options ?? {}, {
      privateKey: this.#settings.privateKey,
      audience: this.#settings.targetEnvironment,
      nowMs: this.#now(),
    });
  }

  /**
   * User `uid` with its traits and the visitors merged into it; null when there is no such user.
   * Needs the private key.
   * @example const account = await tessera.getAccount('user-123'); account?.traits.email
   */
  async getAccount(uid: string | number): Promise<Account | null> {
    const body = await this.#account('GET', uid, '');
    return body === null ? null : fromWire.account(body as WireAccount);
  }

  /**
   * User `uid`'s events, newest first, including those of visitors merged into it; an empty page
   * when there is no such user. Needs the private key.
   * @example
   * let page = await tessera.listEvents('user-123', { limit: 100 });
   * while (page.nextBefore) page = await tessera.listEvents('user-123', { before: page.nextBefore });
   */
  async listEvents(uid: string | number, options: ListEventsOptions = {}): Promise<EventPage> {
    const { limit, before } = options ?? {};
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
      throw invalid('limit must be a whole number from 1 to 1000');
    }
    let beforeParam: string | undefined;
    if (before instanceof Date) {
      if (Number.isNaN(before.getTime())) throw invalid('before is an invalid Date');
      beforeParam = before.toISOString();
    } else if (before !== undefined) {
      if (typeof before !== 'string' || before === '') throw invalid('before must be a Date or a nextBefore string');
      beforeParam = before;
    }
    const body = await this.#account('GET', uid, '/events', {
      limit: limit === undefined ? undefined : String(limit),
      before: beforeParam,
    });
    return body === null ? { events: [], nextBefore: null } : fromWire.eventPage(body as WireEventPage);
  }

  /**
   * Everything stored about user `uid` — traits, merged visitors, events, merges, preferences,
   * contacts — as plain JSON; null when there is no such user. Needs the private key.
   * @example await writeFile('export.json', JSON.stringify(await tessera.exportAccount('user-123')));
   */
  async exportAccount(uid: string | number): Promise<AccountExport | null> {
    return (await this.#account('GET', uid, '/export')) as AccountExport | null;
  }

  /**
   * Deletes user `uid` irreversibly: the account, the visitors merged into it and all their
   * events. Later calls for the uid start a fresh account. Idempotent (`deleted: false` when there
   * was nothing). Needs the private key.
   * @example const { deleted, events } = await tessera.deleteAccount('user-123');
   */
  async deleteAccount(uid: string | number): Promise<DeleteResult> {
    return (await this.#account('DELETE', uid, '')) as DeleteResult;
  }

  /** A call to `/v1/accounts/:uid…`; null for a 404 (no such user). */
  async #account(
    method: 'GET' | 'DELETE',
    uid: string | number,
    suffix: string,
    query?: HttpRequest['query'],
  ): Promise<unknown> {
    this.#assertOpen();
    const id = checkId(uid, 'uid');
    if (this.#settings.privateKey === undefined) {
      throw new TesseraError(
        'CONFIGURATION',
        'Account reads, export and delete need the private key: pass { privateKey } to createClient or set TESSERA_PRIVATE_KEY',
      );
    }
    try {
      return await this.#call({ method, path: `v1/accounts/${encodeURIComponent(id)}${suffix}`, query });
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'NOT_FOUND' && err.status === 404) return null;
      throw err;
    }
  }

  /** One awaited request (retried a little); shutdown waits for it, or aborts it at its timeout. */
  async #call(request: HttpRequest): Promise<unknown> {
    const policy = { ...INTERACTIVE, maxRetries: Math.min(INTERACTIVE.maxRetries, this.#settings.maxRetries) };
    const sending = this.#http.send(request, policy, this.#abort.signal);
    this.#inFlight.add(sending);
    try {
      const result = await sending;
      if (!result.ok) throw result.error;
      return result.body;
    } finally {
      this.#inFlight.delete(sending);
    }
  }

  #withSentAt(item: object): () => string {
    const json = JSON.stringify(item);
    return () => `${json.slice(0, -1)},"sentAt":"${new Date(this.#now()).toISOString()}"}`;
  }

  #assertOpen(): void {
    if (this.#shutdown !== undefined) {
      throw new TesseraError('SHUT_DOWN', 'The client was shut down: create a new one to send more');
    }
  }
}

/**
 * Creates a client. Options left out are read from `TESSERA_*`, then `DASHX_*` environment
 * variables. Call `shutdown()` before the process exits so queued events are sent.
 * @throws TesseraError CONFIGURATION for a missing or invalid option.
 * @example
 * import { createClient } from '@tessera/node';
 * const tessera = createClient({ baseUri: 'http://127.0.0.1:4000', publicKey: 'pk_…', privateKey: 'sk_…' });
 */
export function createClient(options: ClientOptions = {}, ports: ClientPorts = {}): TesseraClient {
  return new TesseraClient(options, ports);
}

function invalid(message: string): TesseraError {
  return new TesseraError('INVALID_INPUT', message);
}

function checkId(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') throw invalid(`${field} must be a string, got ${describeType(value)}`);
  if (value.trim() === '') throw invalid(`${field} must not be empty`);
  if (value.length > Limits.maxIdLength) throw invalid(`${field} is longer than ${Limits.maxIdLength} characters`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** `JSON.stringify(value)`, or INVALID_INPUT for what JSON cannot hold (cycles, BigInt). */
function serialize(value: Record<string, unknown>, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new TesseraError('INVALID_INPUT', `${what} is not JSON-serializable: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function timestampOf(value: Date | string | undefined, nowMs: number): string {
  if (value === undefined) return new Date(nowMs).toISOString();
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    throw invalid('timestamp must be a Date or an ISO 8601 string');
  return date.toISOString();
}
