/**
 * Load shedding for ingest. Every ingest request (`/v1/batch`, `/v1/track`, `/v1/identify`,
 * GraphQL `trackEvent` and `identifyAccount`) is admitted here before it does anything: its items
 * count as queued from admission until it is answered — waiting for their account, in the event
 * writer's queue, in a flush — so the count bounds what slow writes can pile up in memory. When
 * `maxQueuedEvents` are queued, or the event loop lags more than `maxEventLoopLagMs`, a new
 * request is refused at once with 503 UNAVAILABLE and `Retry-After`, before it queues anything.
 * An admitted request is never dropped: it finishes (committed, or refused by the database)
 * however long it takes. `/readyz` reports `overload()` so a load balancer steers traffic away.
 * @example
 *   const shedder = new LoadShedder({ maxQueuedEvents: 10_000, maxEventLoopLagMs: 500 }, sampleEventLoopLag());
 *   await shedder.admit(items.length, () => batches.ingest(caller, items, sentAt));
 */
import { Limits } from '@tessera/protocol';
import { ErrorCode, TesseraError } from '../errors.ts';
import { recordShed, type ShedReason } from '../metrics/registry.ts';

export type { ShedReason };

export interface LoadBounds {
  /** Most items admitted and not yet answered (TESSERA_MAX_QUEUED_EVENTS). */
  maxQueuedEvents: number;
  /** Most event-loop lag in ms before shedding; 0: not checked (TESSERA_MAX_EVENT_LOOP_LAG_MS). */
  maxEventLoopLagMs: number;
}

/** Where the lag is read from (util/event-loop-lag.ts); tests pass a fake. */
export interface LagSource {
  readonly lagMs: number;
}

/** Why the server sheds load, with the numbers behind it (the body of `/readyz`). */
export interface Overload {
  reason: ShedReason;
  queuedEvents: number;
  eventLoopLagMs: number;
}

/** What a shed request is told to wait: the queue drains, or the loop catches up, within seconds. */
export const SHED_RETRY_AFTER_SECONDS = 2;

/**
 * How long after refusing a request `overload()` still reports it. At a steady overload the queue
 * sits at its bound, admitting one request as another finishes; without this, `/readyz` would
 * flip between ready and overloaded from one probe to the next.
 */
export const OVERLOAD_HOLD_MS = 1_000;

const noLag: LagSource = { lagMs: 0 };

export class LoadShedder {
  #queued = 0;
  #lastShedAt = Number.NEGATIVE_INFINITY;
  #lastReason: ShedReason = 'queue';

  /** @param now a clock in ms (tests pass a fake); default `performance.now`. */
  constructor(
    private readonly bounds: LoadBounds,
    private readonly lag: LagSource = noLag,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Sheds nothing: for services outside a server (the CLI). */
  static unbounded(): LoadShedder {
    return new LoadShedder({ maxQueuedEvents: Number.POSITIVE_INFINITY, maxEventLoopLagMs: 0 });
  }

  /** Items admitted and not yet answered. */
  get queuedEvents(): number {
    return this.#queued;
  }

  /**
   * Runs `work` with `items` counted as queued until it settles; rejects with UNAVAILABLE (and
   * `retryAfterSeconds`) without running it when over a bound. A request is admitted while fewer
   * than `maxQueuedEvents` are queued, so the count can pass the bound by one request's items;
   * an item count is taken as at least 1 and at most `Limits.maxBatchItems` (a larger batch is
   * refused by its own check at once).
   */
  async admit<T>(items: number, work: () => Promise<T>): Promise<T> {
    const reason = this.#over();
    if (reason !== undefined) throw this.#shed(reason);
    const weight = Math.min(Math.max(1, items | 0), Limits.maxBatchItems);
    this.#queued += weight;
    try {
      return await work();
    } finally {
      this.#queued -= weight;
    }
  }

  /**
   * Why new requests are being refused: a bound is passed now, or a request was refused within
   * the last {@link OVERLOAD_HOLD_MS}. Undefined when the server takes ingest.
   */
  overload(): Overload | undefined {
    const reason = this.#over() ?? (this.now() - this.#lastShedAt < OVERLOAD_HOLD_MS ? this.#lastReason : undefined);
    if (reason === undefined) return undefined;
    return { reason, queuedEvents: this.#queued, eventLoopLagMs: Math.round(this.lag.lagMs) };
  }

  #over(): ShedReason | undefined {
    if (this.#queued >= this.bounds.maxQueuedEvents) return 'queue';
    const maxLag = this.bounds.maxEventLoopLagMs;
    if (maxLag > 0 && this.lag.lagMs > maxLag) return 'event_loop_lag';
    return undefined;
  }

  #shed(reason: ShedReason): TesseraError {
    this.#lastShedAt = this.now();
    this.#lastReason = reason;
    recordShed(reason);
    const why = reason === 'queue' ? 'too many events are waiting to be written' : 'it is behind on its work';
    return new TesseraError(ErrorCode.UNAVAILABLE, `The server is overloaded (${why}); retry later`, {
      retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
    });
  }
}
