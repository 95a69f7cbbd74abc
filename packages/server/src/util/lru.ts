/** A small bounded LRU map with optional time-to-live, on a JS Map (which keeps insertion order). */

export interface LruOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Entries older than this many ms are ignored and dropped. Default: no expiry. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class Lru<K, V> {
  readonly #map = new Map<K, { value: V; at: number }>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(options: LruOptions) {
    this.#max = options.maxEntries;
    this.#ttl = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.#now = options.now ?? Date.now;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() - entry.at > this.#ttl) {
      this.#map.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used.
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, { value, at: this.#now() });
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  /** Drops every entry whose key matches. */
  deleteWhere(match: (key: K) => boolean): void {
    for (const key of this.#map.keys()) if (match(key)) this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
