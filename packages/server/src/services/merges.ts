/**
 * Merging a visitor into the user it turned out to be, and undoing it. Events are never
 * rewritten: a user's timeline is its own events plus those of the visitors merged into it.
 * Traits the user lacks are copied from the visitor and logged, so an undo can take them back.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import type { Database, Queryable } from '../storage/database.ts';
import { Lru } from '../util/lru.ts';
import { ACCOUNT_COLUMNS, type Account, type Merge } from './account-reads.ts';
import { STANDARD_TRAIT_COLUMNS as STANDARD, ensureAccount } from './account-writes.ts';

export type MergeOutcome = 'merged' | 'already-merged' | 'refused' | 'undone-before';

export class MergeService {
  /** `(user, anonymous uid)` pairs already settled, so identified calls skip the transaction. */
  readonly #settled = new Lru<string, MergeOutcome>({ maxEntries: 100_000 });

  constructor(private readonly db: Database) {}

  /**
   * Merges visitor `anonymousUid` (created if new) into `userId`, unless it already belongs to
   * another user — then nothing moves and a `refused` entry warns on the user's merge log — or an
   * operator undid this very merge before (undo is sticky).
   */
  async mergeVisitor(environmentId: string, userId: string, anonymousUid: string): Promise<MergeOutcome> {
    const cacheKey = `${environmentId}\0${userId}\0${anonymousUid}`;
    const settled = this.#settled.get(cacheKey);
    if (settled) return settled;
    const outcome = await this.db.transaction((tx) => this.merge(tx, environmentId, userId, anonymousUid));
    this.#settled.set(cacheKey, outcome === 'merged' ? 'already-merged' : outcome);
    return outcome;
  }

  private async merge(
    tx: Queryable,
    environmentId: string,
    userId: string,
    anonymousUid: string,
  ): Promise<MergeOutcome> {
    const { id: visitorId } = await ensureAccount(tx, environmentId, { kind: 'VISITOR', anonymousUid }, true);
    // Lock the visitor, then the user: every merge takes them in this order, so no deadlock.
    const [visitor] = await tx.query<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`, [
      visitorId,
    ]);
    if (!visitor) throw new Error('visitor vanished');
    if (visitor.mergedIntoId === userId) return 'already-merged';

    const previous = await tx.query<{ status: string }>(
      `SELECT status FROM merges WHERE user_id = $1 AND visitor_id = $2 AND status IN ('undone', 'refused')`,
      [userId, visitorId],
    );
    if (previous.some((m) => m.status === 'undone')) return 'undone-before';
    if (visitor.mergedIntoId !== null) {
      if (previous.length === 0) {
        await tx.query(
          `INSERT INTO merges (environment_id, user_id, visitor_id, status) VALUES ($1, $2, $3, 'refused')`,
          [environmentId, userId, visitorId],
        );
      }
      return 'refused';
    }

    const [user] = await tx.query<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`, [
      userId,
    ]);
    if (!user) throw new Error('user vanished');
    const copied: Record<string, unknown> = {};
    for (const [trait] of STANDARD) {
      if (user[trait] === null && visitor[trait] !== null) copied[trait] = visitor[trait];
    }
    const customCopied: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(visitor.custom)) if (!(k in user.custom)) customCopied[k] = v;
    if (Object.keys(customCopied).length > 0) copied.custom = customCopied;

    await tx.query(
      `UPDATE accounts SET
         ${STANDARD.map(([, col], i) => `${col} = coalesce(${col}, $${i + 2})`).join(', ')},
         custom = $7::jsonb || custom, updated_at = now()
       WHERE id = $1`,
      [userId, ...STANDARD.map(([trait]) => copied[trait] ?? null), JSON.stringify(customCopied)],
    );
    await tx.query('UPDATE accounts SET merged_into_id = $2, updated_at = now() WHERE id = $1', [visitorId, userId]);
    await tx.query(
      `INSERT INTO merges (environment_id, user_id, visitor_id, status, copied_traits)
       VALUES ($1, $2, $3, 'merged', $4::jsonb)`,
      [environmentId, userId, visitorId, JSON.stringify(copied)],
    );
    return 'merged';
  }

  /**
   * Undoes a merge: the visitor stands alone again with its own events, and copied traits that
   * the user still holds unchanged are removed from the user.
   */
  async undo(environmentId: string, mergeId: string): Promise<Merge> {
    const merge = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<Merge>(
        `SELECT id, user_id AS "userId", visitor_id AS "visitorId", status, copied_traits AS "copiedTraits",
                created_at AS "createdAt", undone_at AS "undoneAt"
         FROM merges WHERE id = $1 AND environment_id = $2 FOR UPDATE`,
        [mergeId, environmentId],
      );
      if (!row) throw new TesseraError(ErrorCode.NOT_FOUND, 'No such merge in this environment');
      if (row.status !== 'merged')
        throw new TesseraError(ErrorCode.CONFLICT, `This merge is ${row.status}, not merged`);

      const copied = row.copiedTraits;
      const custom = (copied.custom ?? {}) as Record<string, unknown>;
      await tx.query(
        `UPDATE accounts SET
           ${STANDARD.map(([, col], i) => `${col} = CASE WHEN ${col} = $${i + 2} THEN NULL ELSE ${col} END`).join(', ')},
           custom = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(custom)
                     WHERE NOT ($7::jsonb ? key AND $7::jsonb -> key = value)),
           updated_at = now()
         WHERE id = $1`,
        [row.userId, ...STANDARD.map(([trait]) => copied[trait] ?? null), JSON.stringify(custom)],
      );
      await tx.query(
        'UPDATE accounts SET merged_into_id = NULL, updated_at = now() WHERE id = $1 AND merged_into_id = $2',
        [row.visitorId, row.userId],
      );
      const [undone] = await tx.query<Merge>(
        `UPDATE merges SET status = 'undone', undone_at = now() WHERE id = $1
         RETURNING id, user_id AS "userId", visitor_id AS "visitorId", status, copied_traits AS "copiedTraits",
                   created_at AS "createdAt", undone_at AS "undoneAt"`,
        [row.id],
      );
      return undone!;
    });
    this.#settled.deleteWhere((key) => key.startsWith(`${environmentId}\0${merge.userId}\0`));
    return merge;
  }

  /** Forgets settled merges that name deleted accounts (by user id or visitor anonymous uid). */
  forgetAccounts(environmentId: string, accountIds: readonly string[], anonymousUids: readonly string[]): void {
    const prefix = `${environmentId}\0`;
    const ids = new Set(accountIds);
    const anonymous = new Set(anonymousUids);
    this.#settled.deleteWhere((key) => {
      if (!key.startsWith(prefix)) return false;
      // The rest is `${userId}\0${anonymousUid}`; a user id is a UUID, so the first NUL ends it.
      const rest = key.slice(prefix.length);
      const cut = rest.indexOf('\0');
      return ids.has(rest.slice(0, cut)) || anonymous.has(rest.slice(cut + 1));
    });
  }
}
