/** Account ids by `(environment, uid | anonymous uid)`, cached so tracking skips the upsert. */
import { FOREIGN_KEY_VIOLATION, sqlState } from '../storage/database.ts';
import { Lru } from '../util/lru.ts';
import type { AccountWriter } from './account-writer.ts';
import type { AccountKey } from './account-writes.ts';

export class AccountIds {
  /** Ids never change for a key, so entries only leave when the account is deleted or evicted. */
  readonly #lru = new Lru<string, { id: string; verified: boolean }>({ maxEntries: 200_000 });

  constructor(private readonly writer: AccountWriter) {}

  /** The account's id, creating the account if new. */
  async ensure(environmentId: string, key: AccountKey, verified: boolean): Promise<string> {
    const cacheKey = keyOf(environmentId, key);
    const cached = this.#lru.get(cacheKey);
    // An unverified entry is not enough for a verified call: the account's flag must be raised.
    if (cached && (cached.verified || !verified)) return cached.id;
    const id = await this.writer.ensure(environmentId, key, verified);
    this.#lru.set(cacheKey, { id, verified: verified || (cached?.verified ?? false) });
    return id;
  }

  /**
   * Runs `fn` with the account's id. If the account was deleted meanwhile (by another process,
   * whose delete this cache did not see), the write fails its foreign key: forget, resolve, retry once.
   */
  async withAccount<T>(
    environmentId: string,
    key: AccountKey,
    verified: boolean,
    fn: (accountId: string) => Promise<T>,
  ): Promise<T> {
    try {
      return await fn(await this.ensure(environmentId, key, verified));
    } catch (err) {
      if (sqlState(err) !== FOREIGN_KEY_VIOLATION) throw err;
      this.forget(environmentId, key);
      return fn(await this.ensure(environmentId, key, verified));
    }
  }

  remember(environmentId: string, key: AccountKey, id: string, verified: boolean): void {
    this.#lru.set(keyOf(environmentId, key), { id, verified });
  }

  forget(environmentId: string, key: AccountKey): void {
    this.#lru.delete(keyOf(environmentId, key));
  }

  /** Forget every account of an environment (after a delete). */
  forgetEnvironment(environmentId: string): void {
    this.#lru.deleteWhere((k) => k.startsWith(`${environmentId}\0`));
  }
}

function keyOf(environmentId: string, key: AccountKey): string {
  return key.kind === 'USER' ? `${environmentId}\0u\0${key.uid}` : `${environmentId}\0a\0${key.anonymousUid}`;
}
