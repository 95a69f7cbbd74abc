/**
 * Token buckets by key (a public key, a client address), in this process's memory: each key may
 * spend `burst` requests at once and regains `ratePerSecond` a second. Buckets live in a bounded
 * LRU map, so memory stays bounded however many keys are seen; a key pushed out starts full again.
 */
import { Lru } from './lru.ts';

export interface TokenBucketOptions {
  /** Requests a second each key regains. */
  ratePerSecond: number;
  /** Requests a key may make at once (the bucket's size). */
  burst: number;
  /** Most keys remembered. Default 100,000 (a few MB). */
  maxKeys?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

export class TokenBuckets {
  readonly #buckets: Lru<string, Bucket>;
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(options: TokenBucketOptions) {
    this.#rate = options.ratePerSecond / 1000;
    this.#burst = options.burst;
    this.#now = options.now ?? Date.now;
    this.#buckets = new Lru({ maxEntries: options.maxKeys ?? 100_000 });
  }

  /**
   * Spends one request of `key`'s allowance: 0 when allowed, otherwise the whole seconds (at
   * least 1) until the next one is, for `Retry-After`. `limit` replaces the buckets' own rate and
   * burst for this key (an environment's own ingest rate); a key whose limit changes keeps its
   * tokens, capped to the new burst.
   * @example if (buckets.take(ip) > 0) reply429()
   */
  take(key: string, limit?: { ratePerSecond: number; burst: number }): number {
    const rate = limit === undefined ? this.#rate : limit.ratePerSecond / 1000;
    const burst = limit === undefined ? this.#burst : limit.burst;
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#buckets.set(key, { tokens: burst - 1, at: now });
      return 0;
    }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  /** Like `take`, without spending: 0 when `key` has a request left. */
  peek(key: string): number {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return 0;
    const tokens = Math.min(this.#burst, bucket.tokens + (this.#now() - bucket.at) * this.#rate);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.#rate / 1000));
  }

  /** Keys remembered now (tests, metrics). */
  get size(): number {
    return this.#buckets.size;
  }
}
