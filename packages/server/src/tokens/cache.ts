/** A bounded cache of successfully verified identity tokens, per environment. */
import { Limits } from '@tessera/protocol';
import { recordCacheLookup } from '../metrics/registry.ts';
import type { AnyTokenOk } from './types.ts';

/** Options of `TokenCache`. */
export interface TokenCacheOptions {
  /** Most tokens kept; the oldest is evicted first. Default: 10_000. */
  maxEntries?: number;
}

interface Entry {
  result: AnyTokenOk;
  keyPairId: string;
}

/**
 * Remembers tokens that verified, so a client sending the same token on every call skips the
 * HMAC. Only successes are stored (failures are cheap to recompute and would let garbage fill
 * the cache). A hit is served only while `exp + leeway > now` and the key pair that verified the
 * token is still active, so revoking a key pair takes effect on the next call.
 * Eviction is FIFO by insertion order (a JS Map keeps it), which needs no bookkeeping on `get`.
 * @example
 * const cache = new TokenCache();
 * let r = cache.get(envId, token, now, (id) => activeKeyPairIds.has(id));
 * if (!r) { const v = verifyJwt(token, secrets, opts); if (v.ok) cache.set(envId, token, v, keyPairIds[v.secretIndex]!); }
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(options: TokenCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`TokenCache maxEntries must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
  }

  /** How many tokens are cached now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached result for this token in this environment, or `undefined` when there is none,
   * it has expired (beyond the leeway), or its key pair is no longer active (then it is dropped).
   */
  get(
    environmentId: string,
    token: string,
    nowSeconds: number,
    isKeyPairActive: (keyPairId: string) => boolean,
  ): AnyTokenOk | undefined {
    const key = cacheKey(environmentId, token);
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      recordCacheLookup('token', false);
      return undefined;
    }
    if (entry.result.exp + Limits.tokenLeewaySeconds <= nowSeconds || !isKeyPairActive(entry.keyPairId)) {
      this.#entries.delete(key);
      recordCacheLookup('token', false);
      return undefined;
    }
    recordCacheLookup('token', true);
    return entry.result;
  }

  /** Stores a successful verification and the id of the key pair whose secret verified it. */
  set(environmentId: string, token: string, result: AnyTokenOk, keyPairId: string): void {
    const key = cacheKey(environmentId, token);
    this.#entries.delete(key); // re-inserting moves it to the newest position
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { result, keyPairId });
  }

  /** Forgets everything (e.g. after a key pair is revoked, to free memory at once). */
  clear(): void {
    this.#entries.clear();
  }
}

function cacheKey(environmentId: string, token: string): string {
  return `${environmentId}\0${token}`;
}
