/**
 * Public key → key pair, environment and the environment's active key pairs, cached briefly.
 * A change made through this process (revoke, new pair, settings) clears the cache at once;
 * other processes see it within `ttlMs` (default 5 s).
 */
import { recordCacheLookup } from '../metrics/registry.ts';
import { Lru } from '../util/lru.ts';
import type { Environment, EnvironmentService, KeyPair } from './environments.ts';
import { isActive } from './environments.ts';

export interface KeyEntry {
  keyPair: KeyPair;
  environment: Environment;
  /** Every active key pair of the environment: identity tokens may be signed by any of them. */
  activeKeyPairs: KeyPair[];
}

export class KeyCache {
  readonly #lru: Lru<string, KeyEntry | null>;

  constructor(
    private readonly environments: EnvironmentService,
    options: { ttlMs?: number; maxEntries?: number } = {},
  ) {
    this.#lru = new Lru({ maxEntries: options.maxEntries ?? 10_000, ttlMs: options.ttlMs ?? 5_000 });
  }

  /** The entry of a public key, or null when no such key exists. */
  async get(publicKey: string): Promise<KeyEntry | null> {
    const cached = this.#lru.get(publicKey);
    recordCacheLookup('key', cached !== undefined);
    if (cached !== undefined) return cached;
    const found = await this.environments.findByPublicKey(publicKey);
    const entry = found
      ? {
          ...found,
          activeKeyPairs: (await this.environments.keyPairs(found.environment.id)).filter((p) => isActive(p)),
        }
      : null;
    this.#lru.set(publicKey, entry);
    return entry;
  }

  clear(): void {
    this.#lru.clear();
  }
}
