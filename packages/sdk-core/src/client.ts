/**
 * The platform-neutral Tessera client: identity state (anonymous uid, uid, token), consent,
 * token refresh, and the public API. Delivery is in delivery.ts; platforms supply the ports.
 */
import type { BatchItem, JsonObject, Traits } from '@tessera/protocol';
import { createDelivery, type Auth } from './delivery.ts';
import { TesseraError } from './errors.ts';
import { MAX_BATCH_ITEMS, MAX_EVENT_NAME_LENGTH, MAX_ID_LENGTH, PLACEHOLDER_ID } from './limits.ts';
import type { ClientOptions, Platform, TesseraClient } from './types.ts';
import { quietly, tokenExpiry, UUID_V4, uuidv4 } from './util.ts';

/** `{"accountAnonymousUid","accountUid","identityToken"}`, the shape of `@dashx/browser`'s `dashx-sdk`. */
const ID_KEY = 'tessera:id';
/** `in` or `out`, once the user chose. */
const CONSENT_KEY = 'tessera:consent';
/** Followed by the public key, `:` and the instance id. */
const QUEUE_PREFIX = 'tessera:q:';

/** Storage keys; the same names on every platform. */
export const StorageKeys = { identity: ID_KEY, consent: CONSENT_KEY, queue: QUEUE_PREFIX } as const;

/** Refresh a token this long before its `exp`: the server allows 30 s of leeway after it, we want none. */
const REFRESH_MARGIN = 30_000;

const DEFAULTS = {
  flushAt: 20,
  flushInterval: 5000,
  maxQueueSize: 1000,
  maxBatchSize: 100,
  maxTokenRefreshAttempts: 3,
};

interface StoredIdentity {
  accountAnonymousUid?: unknown;
  accountUid?: unknown;
  identityToken?: unknown;
}

/**
 * Creates a client on the given platform. Platform packages wrap this with their ports.
 * @example
 *   const client = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' }, platform);
 *   client.track('Signed Up');
 */
export function createClient(options: ClientOptions, platform: Platform): TesseraClient {
  const o = validate(options);
  const { store, clock } = platform;
  const provider = o.identityTokenProvider;
  const report = (e: TesseraError) => o.onError?.(e);
  const newUuid = platform.uuid ?? (() => uuidv4(platform.random ?? Math.random));

  let anon = '';
  let uid: string | null = null;
  let token: string | null = null;
  let optedOut = !!o.optedOut;
  let loaded = false;
  let syncStore = true;
  const pending: (() => void)[] = [];
  // Identity generation: a refresh that finishes after setIdentity/reset must not apply.
  let gen = 0;
  let authFailures = 0;
  let gaveUp = false;
  let refreshing: Promise<string | undefined> | undefined;

  const serialize = () => JSON.stringify({ accountAnonymousUid: anon, accountUid: uid, identityToken: token });
  const save = () => optedOut || quietly(() => store.set(ID_KEY, serialize()));
  const newIdentity = () => {
    gen++;
    authFailures = 0;
    gaveUp = false;
  };
  /** Runs `fn` once stored state is loaded, after re-reading what other tabs may have changed. */
  const act = (fn: () => void) => {
    if (!loaded) return void pending.push(fn);
    sync();
    fn();
  };

  /** Applies what the store holds; mints an anonymous uid if there is none. */
  function apply(raw: string | null): void {
    let s: StoredIdentity | null = null;
    try {
      s = JSON.parse(raw || '{}') as StoredIdentity | null;
    } catch {
      // Corrupt: start afresh rather than throw as DashX does.
    }
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    const a = str(s?.accountAnonymousUid);
    if (a && UUID_V4.test(a)) {
      const [u, t] = [str(s?.accountUid), str(s?.identityToken)];
      if (t !== token || u !== uid) newIdentity();
      [anon, uid, token] = [a, u, t];
    } else anon ||= newUuid();
    if (raw !== serialize()) save();
  }

  /** With a synchronous store, read identity and consent again: other tabs share them. */
  function sync(): void {
    if (!loaded || !syncStore) return;
    const consent = store.get(CONSENT_KEY);
    if (consent === 'out' && !optedOut) stop();
    if (consent === 'in') optedOut = false;
    apply(store.get(ID_KEY) as string | null);
  }

  /** One refresh at a time; everyone who needs a token waits for the same one. */
  function refresh(): Promise<string | undefined> {
    const g = gen;
    return (refreshing ??= (async () => {
      try {
        // Always asynchronous, so `finally` runs after `refreshing` is set.
        const t = await Promise.resolve().then(provider);
        if (typeof t !== 'string' || !t) throw new Error('No token');
        if (g === gen) token = t;
        save();
        return g === gen ? t : undefined;
      } catch (cause) {
        if (g === gen && ++authFailures >= o.maxTokenRefreshAttempts) giveUp(cause);
        return undefined;
      } finally {
        refreshing = undefined;
      }
    })());
  }

  function giveUp(cause?: unknown): void {
    gaveUp = true;
    report(new TesseraError('TOKEN_REFRESH_FAILED', 'Token refresh failed', { cause }));
  }

  const auth: Auth = {
    out: () => optedOut,
    paused: () => gaveUp,
    token(u, stored, exit) {
      // Anonymous events go without a token; a previous user's with the token they were recorded under.
      const t = u === undefined ? undefined : u === uid ? (token ?? undefined) : stored;
      const exp = t && tokenExpiry(t, platform.base64);
      if (!exp || exp - clock.now() > (exit ? 0 : REFRESH_MARGIN)) return t;
      // Expiring: a beacon keeps the events for later; a send refreshes first, when it can.
      return exit ? null : u === uid && provider ? refresh().then((r) => r ?? null) : t;
    },
    async expired(u) {
      if (u === undefined || u !== uid || !provider) return 'drop';
      if (++authFailures >= o.maxTokenRefreshAttempts) giveUp();
      return gaveUp || (await refresh()) ? 'retry' : 'wait';
    },
    accepted(t) {
      if (t && t === token) authFailures = 0;
    },
  };

  const queuePrefix = `${QUEUE_PREFIX}${o.publicKey}:`;
  const queueKey = queuePrefix + (platform.instances?.id ?? 'main');
  const delivery = createDelivery(
    { ...o, url: `${o.baseUri}/v1/batch`, queueKey, queuePrefix, report },
    platform,
    auth,
  );

  function stop(): void {
    optedOut = true;
    delivery.clear();
  }

  function enqueue(
    item: { type: 'identify'; traits: Traits } | { type: 'track'; event: string; data?: JsonObject },
    at: number,
  ): void {
    if (optedOut) return;
    const full = {
      ...item,
      messageId: newUuid(),
      anonymousUid: anon,
      ...(uid && { uid }),
      timestamp: new Date(at).toISOString(),
      context: { library: platform.library, ...platform.context?.() },
    } as BatchItem;
    delivery.enqueue(uid && token ? { i: full, t: token } : { i: full });
  }

  const invalid = (what: string) => new TesseraError('INVALID_INPUT', `Bad ${what}`, { dropped: 1 });
  const badUid = (u: unknown) => typeof u !== 'string' || !u || u.length > MAX_ID_LENGTH || PLACEHOLDER_ID.test(u);
  const badObject = (v: unknown) => v !== undefined && (typeof v !== 'object' || !v || Array.isArray(v));

  // Load stored state: synchronously when the store is synchronous (localStorage), else on `ready`.
  const values = [ID_KEY, CONSENT_KEY, queueKey].map((key) => {
    try {
      const v = store.get(key);
      return v instanceof Promise ? v.catch(() => null) : v;
    } catch {
      return null;
    }
  });
  syncStore = !values.some((v) => v instanceof Promise);
  const start = ([id, consent, queue]: (string | null)[]) => {
    if (consent) optedOut = consent === 'out';
    apply(id ?? null);
    if (!optedOut) delivery.load(queue ?? null);
    loaded = true;
    // Leftovers from the last run, or from tabs that closed: send them now.
    if (delivery.size() || platform.instances) void delivery.flush();
    for (const fn of pending.splice(0)) fn();
  };
  // A synchronous store starts the client now; calls before `ready` wait in `pending` otherwise.
  const ready = syncStore ? start(values as (string | null)[]) : Promise.all(values).then(start);
  platform.network?.onOnline(delivery.online);

  return {
    get anonymousUid() {
      sync();
      return anon;
    },
    get uid() {
      sync();
      return uid;
    },
    get optedOut() {
      return optedOut;
    },
    get droppedCount() {
      return delivery.overflowed();
    },
    ready: Promise.resolve(ready),
    identify(a?: string | Traits, b?: Traits) {
      const at = clock.now();
      const [u, traits] = typeof a === 'string' ? [a, b] : [undefined, a];
      if (u !== undefined && badUid(u)) return report(invalid('uid'));
      if (badObject(traits)) return report(invalid('traits'));
      act(() => {
        if (u && u !== uid && !optedOut) {
          uid = u;
          save();
        }
        enqueue({ type: 'identify', traits: traits ?? {} }, at);
      });
    },
    track(event: string, data?: JsonObject) {
      const at = clock.now();
      if (typeof event !== 'string' || !event || event.length > MAX_EVENT_NAME_LENGTH) return report(invalid('event'));
      if (badObject(data)) return report(invalid('data'));
      act(() => enqueue({ type: 'track', event, ...(data && { data }) }, at));
    },
    setIdentity(u?: string | null, t?: string | null) {
      if (u != null && badUid(u)) throw invalid('uid');
      if (t != null && typeof t !== 'string') throw invalid('token');
      act(() => {
        uid = u ?? null;
        token = t ?? null;
        newIdentity();
        save();
        void delivery.flush();
      });
    },
    setAnonymousIdentity(a: string) {
      if (typeof a !== 'string' || !UUID_V4.test(a))
        throw new TesseraError('INVALID_INPUT', 'Anonymous UID must be a valid UUID');
      act(() => {
        anon = a;
        save();
      });
    },
    reset() {
      act(() => {
        anon = newUuid();
        uid = token = null;
        newIdentity();
        save();
        // What the previous person queued still goes out, under their own uid and token.
        void delivery.flush();
      });
    },
    optOut() {
      act(() => {
        stop();
        quietly(() => store.remove(ID_KEY));
        quietly(() => store.set(CONSENT_KEY, 'out'));
      });
    },
    optIn() {
      act(() => {
        optedOut = false;
        quietly(() => store.set(CONSENT_KEY, 'in'));
        save();
      });
    },
    flush: () => Promise.resolve(ready).then(delivery.flush),
    flushOnExit: () => loaded && delivery.exit(),
    close: delivery.close,
  };
}

function validate(options: ClientOptions): ClientOptions & typeof DEFAULTS {
  const fail = (option: string) => {
    throw new TesseraError('CONFIGURATION', `Bad ${option}`);
  };
  if (typeof options?.publicKey != 'string' || !options.publicKey) fail('publicKey');
  // The server's origin, http(s).
  if (!/^https?:\/\/[^/]/.test(options.baseUri)) fail('baseUri');
  const o = { ...DEFAULTS, ...options, baseUri: options.baseUri.replace(/\/+$/, '') };
  // `??=`, not the spread alone: an option passed as undefined takes the default too.
  for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) if (!((o[k] ??= DEFAULTS[k]) >= 1)) fail(k);
  o.maxBatchSize = Math.min(o.maxBatchSize, MAX_BATCH_ITEMS);
  return o;
}
