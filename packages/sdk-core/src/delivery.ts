/**
 * The persistent queue and its delivery to `POST /v1/batch`: batching, backoff with jitter,
 * Retry-After, 413 halving, dropping what the server refuses, offline pause, beacons on exit,
 * and adopting the queues of instances (tabs) that went away.
 *
 * Written for size (it ships in a 5 KB browser bundle): queued items are compared by reference,
 * and one run of `flush` at a time owns the network.
 */
import type { BatchResponse, TesseraErrorCode, TrackItem } from '@tessera/protocol';
import { TesseraError } from './errors.ts';
import { MAX_BODY_BYTES, MAX_TOKEN_BYTES } from './limits.ts';
import { backoffMs, isRetryableStatus, retryAfterMs } from './retry.ts';
import type { FlushResult, MaybePromise, Platform, Queued, TransportResponse } from './types.ts';
import { quietly, utf8Length } from './util.ts';

/** Below the server's 512 KB body limit, with room for the envelope. */
const MAX_BATCH_BYTES = MAX_BODY_BYTES - 16 * 1024;
/** Browsers refuse beacon/keepalive bodies above 64 KB; the envelope (key, token ≤ 4 KB) takes the rest. */
const BEACON_ROOM = 64 * 1024 - MAX_TOKEN_BYTES - 256;

export interface DeliveryOptions {
  url: string;
  publicKey: string;
  targetEnvironment?: string;
  flushAt: number;
  flushInterval: number;
  maxQueueSize: number;
  maxBatchSize: number;
  /** Storage key of this instance's queue. */
  queueKey: string;
  /** Prefix of every instance's queue key. */
  queuePrefix: string;
  report(error: TesseraError): void;
}

/** What delivery needs to know about identity, supplied by the client. */
export interface Auth {
  /** The user opted out: nothing is stored or sent. */
  out(): boolean;
  /** Token refresh gave up: nothing is sent until the identity changes. */
  paused(): boolean;
  /**
   * The token for a batch of `uid`'s events (`stored`: the one they were recorded with), refreshed
   * first when about to expire; null: not now. For a beacon (`exit`) no refresh is possible: an
   * expired token gives null and the events stay for later.
   */
  token(uid: string | undefined, stored: string | undefined, exit?: boolean): MaybePromise<string | undefined | null>;
  /** The server said `uid`'s token expired: go again ('retry'), back off ('wait') or drop the batch. */
  expired(uid: string | undefined): Promise<'retry' | 'wait' | 'drop'>;
  /** A batch sent with this token was accepted. */
  accepted(token: string | undefined): void;
}

export type Delivery = ReturnType<typeof createDelivery>;

export function createDelivery(o: DeliveryOptions, platform: Platform, auth: Auth) {
  const { clock, store, transport, network, instances } = platform;
  const random = platform.random ?? Math.random;
  let queue: Queued[] = [];
  let inflight: Queued[] = [];
  let timer: unknown;
  let retryAt = 0;
  let attempt = 0;
  let batchLimit = o.maxBatchSize;
  let dropped = 0;
  let overflowing = false;
  let dirty = false;
  let running: Promise<FlushResult> | undefined;

  const now = () => new Date(clock.now()).toISOString();
  const write = () =>
    quietly(() => (queue.length ? store.set(o.queueKey, JSON.stringify(queue)) : store.remove(o.queueKey)));
  const persist = () => {
    // Coalesce the writes of one task (a burst of track calls) into one.
    if (!dirty) void Promise.resolve().then(() => ((dirty = false), write()));
    dirty = true;
  };
  const stopTimer = () => {
    clock.clearTimeout(timer);
    timer = undefined;
  };
  const schedule = (ms: number) => {
    timer ??= clock.setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };
  const remove = (items: Queued[]) => {
    queue = queue.filter((q) => !items.includes(q));
    persist();
  };
  /** What the current run of `flush` did so far. */
  let result: FlushResult;
  const report = (code: TesseraErrorCode, message: string, dropped: number, status?: number) =>
    o.report(new TesseraError(code, message, { dropped, status }));
  /** Removes a batch the server refused as a whole, and says so in its words (a proxy's refusal has none). */
  const refuse = (batch: Queued[], status: number, error?: { code?: string; message?: string }) => {
    remove(batch);
    result.dropped += batch.length;
    report(
      (error?.code ?? 'UNEXPECTED_RESPONSE') as TesseraErrorCode,
      error?.message ?? `HTTP ${status}`,
      batch.length,
      status,
    );
  };

  function add(items: Queued[]): void {
    if (auth.out()) return;
    queue.push(...items);
    for (; queue.length > o.maxQueueSize; dropped++) {
      queue.shift();
      // Reported once per episode, not once per event.
      if (!overflowing) report('QUEUE_FULL', 'Queue full', 1);
      overflowing = true;
    }
    persist();
  }

  function backoff(response?: TransportResponse): void {
    const wait = backoffMs(attempt++, random);
    retryAt = clock.now() + (retryAfterMs(response?.retryAfter, clock.now()) ?? wait);
    stopTimer();
  }

  /** The next batch: the oldest event and the following ones of the same uid, within the limits. */
  function pick(): Queued[] {
    const batch: Queued[] = [];
    let bytes = 0;
    for (const q of queue) {
      if (batch[0] && q.i.uid !== batch[0].i.uid) continue;
      const size = utf8Length(JSON.stringify(q.i)) + 1;
      if (batch[0] && (batch.length >= batchLimit || bytes + size > MAX_BATCH_BYTES)) break;
      batch.push(q);
      bytes += size;
    }
    return batch;
  }

  async function run(): Promise<FlushResult> {
    await adopt().catch(() => undefined);
    result = { kind: 'done', delivered: 0, rejected: [], dropped: 0 };
    const end = (kind: FlushResult['kind']) => ((result.kind = kind), result);
    for (;;) {
      if (auth.out()) return end('opted-out');
      if (network?.online() === false) return end('offline');
      if (auth.paused()) return end('paused');
      if (retryAt > clock.now()) {
        schedule(retryAt - clock.now());
        return end('retry-later');
      }
      const batch = pick();
      if (!batch[0]) return result;
      const uid = batch[0].i.uid;
      const token = await auth.token(uid, batch[batch.length - 1]?.t);
      if (token === null) {
        backoff();
        continue;
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Public-Key': o.publicKey };
      if (token) headers['X-Identity-Token'] = token;
      if (o.targetEnvironment) headers['X-Target-Environment'] = o.targetEnvironment;
      inflight = batch;
      let res: TransportResponse | undefined;
      try {
        const body = JSON.stringify({ batch: batch.map((q) => q.i), sentAt: now() });
        res = await transport.send({ url: o.url, body, headers });
      } catch {
        // A network error: retried below.
      }
      inflight = [];
      const status = res?.status ?? 0;
      const body = res?.body as (Partial<BatchResponse> & { error?: Record<string, string> }) | undefined;
      const error = body?.error;
      if (status > 199 && status < 300) {
        attempt = 0;
        overflowing = false;
        auth.accepted(token);
        remove(batch);
        const rejected = body?.rejected ?? [];
        result.delivered += batch.length - rejected.length;
        for (const r of rejected) {
          const item = batch[r.index]?.i as TrackItem;
          const code = r.code as TesseraErrorCode;
          result.rejected.push({
            messageId: item.messageId!,
            event: item.event,
            code,
            message: r.message,
          });
          report(code, r.message, 1, status);
        }
      } else if (status === 401 && error?.reason === 'IDENTITY_TOKEN_EXPIRED') {
        const next = await auth.expired(uid);
        if (next === 'wait') backoff();
        if (next === 'drop') refuse(batch, status, error);
      } else if (status === 413) {
        if (!batch[1]) refuse(batch, status, error);
        batchLimit = Math.max(1, batch.length >> 1);
      } else if (isRetryableStatus(status)) {
        backoff(res);
      } else refuse(batch, status, error);
    }
  }

  /** Sends what is queued; one run at a time, callers share it. */
  function flush(): Promise<FlushResult> {
    stopTimer();
    return (running ??= run().finally(() => {
      running = undefined;
      if (queue[0] && !auth.out() && !auth.paused() && network?.online() !== false) schedule(o.flushInterval);
    }));
  }

  /** Beacons everything not in flight, in order, a chunk per run of one uid's events, each at most 64 KB. */
  function exit(): void {
    if (!transport.beacon || auth.out()) return;
    const done: Queued[] = [];
    let chunk: Queued[] = [];
    let bytes = 0;
    const send = () => {
      const first = chunk[0];
      const token = first && (auth.token(first.i.uid, chunk[chunk.length - 1]?.t, true) as string | null | undefined);
      const body = JSON.stringify({
        batch: chunk.map((q) => q.i),
        sentAt: now(),
        publicKey: o.publicKey,
        identityToken: token,
      });
      if (token !== null && first && transport.beacon?.(o.url, body)) done.push(...chunk);
      chunk = [];
      bytes = 0;
    };
    for (const q of queue) {
      if (inflight.includes(q)) continue;
      const size = utf8Length(JSON.stringify(q.i)) + 1;
      if (q.i.uid !== chunk[0]?.i.uid || bytes + size > BEACON_ROOM) send();
      // An event too large for a beacon stays queued for the next visit.
      if (size <= BEACON_ROOM) {
        chunk.push(q);
        bytes += size;
      }
    }
    send();
    queue = queue.filter((q) => !done.includes(q));
    write();
  }

  /** Takes over the queues of instances that are gone (a closed or reloaded tab). */
  async function adopt(): Promise<void> {
    const prefix = o.queuePrefix;
    const others = ((instances && (await store.keys?.(prefix))) || []).filter((k) => k !== o.queueKey);
    const gone = others[0] ? await instances!.abandoned(others.map((k) => k.slice(prefix.length))) : [];
    if (gone[0])
      await instances!.lock(prefix, async () => {
        for (const id of gone) {
          const raw = await store.get(prefix + id);
          await store.remove(prefix + id);
          const known = new Set(queue.map((q) => q.i.messageId));
          add(parseQueue(raw).filter((q) => !known.has(q.i.messageId)));
        }
        write();
      });
  }

  return {
    enqueue(q: Queued): void {
      add([q]);
      if (queue.length >= o.flushAt) void flush();
      else schedule(o.flushInterval);
    },
    flush,
    exit,
    /** Loads the stored queue (stored first, then anything enqueued before). */
    load(raw: string | null): void {
      queue = [...parseQueue(raw), ...queue];
    },
    /** Forgets the queue, in memory and in storage. */
    clear(): void {
      queue = [];
      stopTimer();
      write();
    },
    /** Back online: forget the backoff and send. */
    online(): void {
      retryAt = attempt = 0;
      void flush();
    },
    close: stopTimer,
    size: () => queue.length,
    overflowed: () => dropped,
  };
}

function parseQueue(raw: string | null): Queued[] {
  try {
    const value: unknown = JSON.parse(raw || '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
