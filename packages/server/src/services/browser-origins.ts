/**
 * The union of every environment's allowed origins, in memory, for CORS preflights: a browser's
 * preflight (OPTIONS) carries no header values, so it cannot say which environment it is for. An
 * origin passes when some environment is open to any origin or lists it. The actual request is
 * then checked against its own environment (http/origin-check.ts).
 *
 * Refreshed at start, at once after a change made through this process, and otherwise at most
 * every `ttlMs` (default 5 s) in the background when a preflight finds it older: other processes'
 * changes show within seconds, and no preflight ever waits for the database.
 */
import { originAllowed } from './allowed-origins.ts';

interface Snapshot {
  /** Some environment accepts any origin (or there is no environment yet: nothing to protect). */
  open: boolean;
  /** Every listed entry of every environment, wildcards included. */
  origins: string[];
  loadedAt: number;
}

export class BrowserOrigins {
  #snapshot: Snapshot = { open: true, origins: [], loadedAt: Number.NEGATIVE_INFINITY };
  #refreshing: Promise<void> | undefined;
  /** A reload asked for while one was in flight: it starts after, so it sees the caller's change. */
  #queued: Promise<void> | undefined;

  constructor(
    /** Every environment's list (null: open), from the database. */
    private readonly load: () => Promise<Array<readonly string[] | null>>,
    private readonly options: { ttlMs?: number; now?: () => number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Whether a preflight from `origin` is answered with CORS headers. */
  allows(origin: string): boolean {
    const now = (this.options.now ?? Date.now)();
    const stale = now - this.#snapshot.loadedAt > (this.options.ttlMs ?? 5_000);
    if (stale && this.#refreshing === undefined) void this.refresh().catch(() => {});
    const { open, origins } = this.#snapshot;
    return open || originAllowed(origins, origin);
  }

  /**
   * Reloads the union from a query that starts after this call (concurrent calls share one).
   * Resolves once the new union is in use.
   */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#queued ??= this.#refreshing
        .catch(() => {})
        .then(() => {
          this.#queued = undefined;
          return this.refresh();
        });
      return this.#queued;
    }
    this.#refreshing = (async () => {
      try {
        const lists = await this.load();
        this.#snapshot = {
          open: lists.length === 0 || lists.some((list) => list === null),
          origins: [...new Set(lists.flatMap((list) => list ?? []))],
          loadedAt: (this.options.now ?? Date.now)(),
        };
      } catch (err) {
        // The last union stays in use (a background refresh must not fail a preflight).
        this.options.onError?.(err);
        throw err;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Waits for a refresh in flight, if any (before the database closes). */
  async settled(): Promise<void> {
    await this.#queued?.catch(() => {});
    await this.#refreshing?.catch(() => {});
  }
}
