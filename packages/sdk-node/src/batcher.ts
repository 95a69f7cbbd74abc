/**
 * The background queue of tracked events: sent to `POST /v1/batch` when `flushAt` events wait or
 * `flushInterval` ms after the first one, one request at a time, in order. A batch that fails
 * for a network error, 429 or 5xx is retried with the same `messageId`s (so the server stores
 * each event once); one the server finds too large (413) is split in half; one it refuses (4xx)
 * is dropped and reported. `flush()` resolves with what happened to the events it waited for.
 */
import { Limits, type BatchResponse } from '@tessera/protocol';
import {
  MAX_DELAY_MS,
  TesseraError,
  type FlushResult,
  type RejectedEvent,
  type TesseraErrorCode,
} from '@tessera/sdk-core';
import type { Http } from './http.ts';
import type { Settings } from './options.ts';

/** An event ready to send: its JSON is made once, at `track()`, and reused by every retry. */
export interface QueuedEvent {
  messageId: string;
  event: string;
  json: string;
  bytes: number;
}

/** Room left in a request body for `{"batch":[…],"sentAt":"…"}` around the events. */
const ENVELOPE_BYTES = 1024;
/** The largest event that fits in a request on its own. */
export const MAX_EVENT_BYTES = Limits.maxBodyBytes - ENVELOPE_BYTES;

interface Waiter {
  /** Events with a sequence number up to this one are waited for... */
  upTo: number;
  /** ...and this many of them are not settled yet. */
  pending: number;
  result: FlushResult;
  resolve: (result: FlushResult) => void;
}

type Outcome =
  { kind: 'delivered' } | { kind: 'dropped' } | { kind: 'rejected'; code: TesseraErrorCode; message: string };

export class Batcher {
  readonly #queue: Array<QueuedEvent & { seq: number }> = [];
  #inFlight: Array<QueuedEvent & { seq: number }> = [];
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  readonly #waiters = new Set<Waiter>();

  constructor(
    private readonly settings: Settings,
    private readonly http: Http,
    private readonly now: () => number,
    /** Aborted when a shutdown runs out of time: in-flight requests and waits stop. */
    private readonly signal: AbortSignal,
  ) {}

  /** Number of events waiting or being sent. */
  get size(): number {
    return this.#queue.length + this.#inFlight.length;
  }

  enqueue(event: QueuedEvent): void {
    if (this.#queue.length >= this.settings.maxQueueSize) {
      // Drop the oldest tenth at once, so a long outage reports in a few lines, not one per event.
      const victims = this.#queue.splice(0, Math.max(1, Math.floor(this.settings.maxQueueSize / 10)));
      this.#settle(victims, { kind: 'dropped' });
      this.#report(
        new TesseraError('QUEUE_FULL', `The queue held ${this.settings.maxQueueSize} events: dropped the oldest`),
        victims,
      );
    }
    this.#queue.push({ ...event, seq: ++this.#seq });
    if (this.#queue.length >= this.settings.flushAt) void this.#drain();
    else this.#timer ??= setTimeout(() => void this.#drain(), this.settings.flushInterval);
  }

  /** Sends everything queued now; resolves when each of those events is delivered, refused or dropped. */
  flush(): Promise<FlushResult> {
    const pending = this.size;
    const result: FlushResult = { kind: 'done', delivered: 0, rejected: [], dropped: 0 };
    if (pending === 0) return Promise.resolve(result);
    const done = new Promise<FlushResult>((resolve) => {
      this.#waiters.add({ upTo: this.#seq, pending, result, resolve });
    });
    void this.#drain();
    return done;
  }

  /** Runs until the queue is empty; one request at a time. */
  #drain(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // `.finally` runs in a later microtask, so `#draining` is always set before it is cleared.
    this.#draining ??= this.#run().finally(() => {
      this.#draining = undefined;
      // Events tracked while the last batch was out were sent by the loop; a timer they started
      // would only keep the process alive for nothing.
      if (this.#queue.length === 0 && this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    });
    return this.#draining;
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        if (this.signal.aborted) {
          const left = this.#queue.splice(0);
          this.#settle(left, { kind: 'dropped' });
          this.#report(new TesseraError('SHUT_DOWN', 'The client shut down before these events were sent'), left);
          return;
        }
        const batch = this.#takeBatch();
        this.#inFlight = batch;
        try {
          await this.#deliver(batch);
        } catch (cause) {
          // A bug, not a delivery outcome: drop and report rather than stall every later flush.
          this.#settle(batch, { kind: 'dropped' });
          this.#report(new TesseraError('UNEXPECTED_RESPONSE', `Delivery failed: ${String(cause)}`, { cause }), batch);
        }
      }
    } finally {
      this.#inFlight = [];
    }
  }

  /** The oldest events that fit in one request (count and bytes). */
  #takeBatch(): Array<QueuedEvent & { seq: number }> {
    let count = 0;
    let bytes = 0;
    for (const event of this.#queue) {
      if (count === Limits.maxBatchItems || (count > 0 && bytes + event.bytes + 1 > MAX_EVENT_BYTES)) break;
      count += 1;
      bytes += event.bytes + 1;
    }
    return this.#queue.splice(0, count);
  }

  async #deliver(batch: Array<QueuedEvent & { seq: number }>): Promise<void> {
    const result = await this.http.send(
      {
        method: 'POST',
        path: 'v1/batch',
        body: () =>
          `{"batch":[${batch.map((e) => e.json).join(',')}],"sentAt":"${new Date(this.now()).toISOString()}"}`,
        note: `${batch.length} event${batch.length === 1 ? '' : 's'}`,
      },
      { maxRetries: this.settings.maxRetries, maxWaitMs: MAX_DELAY_MS },
      this.signal,
    );
    if (result.ok && isBatchResponse(result.body)) return this.#accepted(batch, result.body);
    if (result.ok) {
      // A 200 that is not Tessera's answer (a wrong baseUri): nothing says these were stored.
      this.#settle(batch, { kind: 'dropped' });
      return this.#report(
        new TesseraError(
          'UNEXPECTED_RESPONSE',
          'POST /v1/batch answered 200 without { accepted }: is baseUri a Tessera server?',
        ),
        batch,
      );
    }
    if (result.error.code === 'PAYLOAD_TOO_LARGE' && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await this.#deliver(batch.slice(0, half));
      await this.#deliver(batch.slice(half));
      return;
    }
    this.#settle(batch, { kind: 'dropped' });
    this.#report(result.error, batch);
  }

  /** A 200: every event is stored except those listed in `rejected`. */
  #accepted(batch: Array<QueuedEvent & { seq: number }>, body: BatchResponse): void {
    const rejected = body.rejected.filter(
      (r) => typeof r?.index === 'number' && typeof r.code === 'string' && typeof r.message === 'string',
    );
    const refused = new Map(rejected.map((r) => [r.index, r]));
    const byCode = new Map<TesseraErrorCode, { error: TesseraError; events: QueuedEvent[] }>();
    for (const [index, event] of batch.entries()) {
      const r = refused.get(index);
      if (!r) {
        this.#settle([event], { kind: 'delivered' });
        continue;
      }
      const code = r.code as TesseraErrorCode;
      this.#settle([event], { kind: 'rejected', code, message: r.message });
      const group = byCode.get(code) ?? { error: new TesseraError(code, r.message), events: [] };
      group.events.push(event);
      byCode.set(code, group);
    }
    for (const { error, events } of byCode.values()) this.#report(error, events);
  }

  #settle(events: ReadonlyArray<QueuedEvent & { seq: number }>, outcome: Outcome): void {
    if (this.#waiters.size === 0) return;
    for (const event of events) {
      for (const waiter of this.#waiters) {
        if (event.seq > waiter.upTo) continue;
        if (outcome.kind === 'delivered') waiter.result.delivered += 1;
        else if (outcome.kind === 'dropped') waiter.result.dropped += 1;
        else {
          const entry: RejectedEvent = {
            messageId: event.messageId,
            event: event.event,
            code: outcome.code,
            message: outcome.message,
          };
          waiter.result.rejected.push(entry);
        }
        waiter.pending -= 1;
        if (waiter.pending === 0) {
          this.#waiters.delete(waiter);
          waiter.resolve(waiter.result);
        }
      }
    }
  }

  #report(error: TesseraError, events: readonly QueuedEvent[]): void {
    // The same error, saying how many events were lost with it.
    const cause = error.cause === undefined ? {} : { cause: error.cause };
    const lost = new TesseraError(error.code, error.message, { ...error, ...cause, dropped: events.length });
    try {
      this.settings.onError(lost, { messageIds: events.map((e) => e.messageId) });
    } catch {
      // A throwing onError must not break delivery of the other events.
    }
  }
}

/** `{ accepted: number, rejected: [...] }`, the shape of every 200 from `/v1/batch`. */
export function isBatchResponse(body: unknown): body is BatchResponse {
  const b = body as Partial<BatchResponse> | null;
  return typeof b === 'object' && b !== null && typeof b.accepted === 'number' && Array.isArray(b.rejected);
}
