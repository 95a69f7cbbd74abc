/**
 * Sign-in throttling, shared by every server process through the database. Each attempt is
 * counted *before* the password is checked (a burst of parallel guesses cannot slip past the
 * limit) and forgiven when it succeeds. After `threshold` failures in a row a key is locked for
 * 30 s, doubling with each further failure up to 15 min.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import type { Database, Queryable } from '../storage/database.ts';

export interface ThrottleRule {
  /** e.g. `email:ada@example.com` or `ip:203.0.113.9`. */
  key: string;
  /** Failures in a row before the key is locked. */
  threshold: number;
}

export interface ThrottleOptions {
  /** First lock, in ms. Default 30 s. */
  baseLockMs?: number;
  /** Longest lock, in ms. Default 15 min. */
  maxLockMs?: number;
  /** Failures older than this are forgotten, in ms. Default 15 min. */
  windowMs?: number;
}

interface Row {
  failures: number;
  lastFailureAt: Date | null;
  lockedUntil: Date | null;
  now: Date;
}

export class LoginThrottle {
  readonly #baseLockMs: number;
  readonly #maxLockMs: number;
  readonly #windowMs: number;

  constructor(
    private readonly db: Database,
    options: ThrottleOptions = {},
  ) {
    this.#baseLockMs = options.baseLockMs ?? 30_000;
    this.#maxLockMs = options.maxLockMs ?? 15 * 60_000;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
  }

  /**
   * Counts an attempt for every rule, or throws RATE_LIMITED (with Retry-After) when one of them
   * is locked. Call `succeeded` when the password was right.
   * @example await throttle.attempt([{ key: `email:${email}`, threshold: 5 }]);
   */
  async attempt(rules: readonly ThrottleRule[]): Promise<void> {
    // One lock order for every process (sorted keys), so two attempts never deadlock.
    const sorted = [...rules].sort((a, b) => a.key.localeCompare(b.key));
    const lockedFor = await this.db.transaction(async (tx) => {
      let wait = 0;
      const rows: Array<[ThrottleRule, Row]> = [];
      for (const rule of sorted) {
        const row = await lockRow(tx, rule.key);
        if (row.lockedUntil && row.lockedUntil > row.now) {
          wait = Math.max(wait, row.lockedUntil.getTime() - row.now.getTime());
        }
        rows.push([rule, row]);
      }
      // A locked key refuses without counting: counting would extend the lock for ever.
      if (wait > 0) return wait;
      for (const [rule, row] of rows) {
        const recent = row.lastFailureAt !== null && row.now.getTime() - row.lastFailureAt.getTime() < this.#windowMs;
        const failures = (recent ? row.failures : 0) + 1;
        const lockMs =
          failures >= rule.threshold
            ? Math.min(this.#baseLockMs * 2 ** (failures - rule.threshold), this.#maxLockMs)
            : 0;
        await tx.query(
          `UPDATE operator_login_throttle SET failures = $2, last_failure_at = $3,
             locked_until = $4 WHERE key = $1`,
          [rule.key, failures, row.now, lockMs > 0 ? new Date(row.now.getTime() + lockMs) : null],
        );
      }
      return 0;
    });
    if (lockedFor > 0) {
      const seconds = Math.ceil(lockedFor / 1000);
      throw new TesseraError(
        ErrorCode.RATE_LIMITED,
        `Too many failed sign-ins. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        { retryAfterSeconds: seconds },
      );
    }
  }

  /** Forgets the failures of these keys (the password was right). */
  async succeeded(rules: readonly ThrottleRule[]): Promise<void> {
    await this.db.query('DELETE FROM operator_login_throttle WHERE key = ANY($1::text[])', [rules.map((r) => r.key)]);
  }
}

async function lockRow(tx: Queryable, key: string): Promise<Row> {
  await tx.query('INSERT INTO operator_login_throttle (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key]);
  const [row] = await tx.query<Row>(
    `SELECT failures, last_failure_at AS "lastFailureAt", locked_until AS "lockedUntil", now() AS now
     FROM operator_login_throttle WHERE key = $1 FOR UPDATE`,
    [key],
  );
  if (!row) throw new Error('throttle row vanished');
  return row;
}
