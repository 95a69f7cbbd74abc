/**
 * Privacy operations on one person: export everything stored about an account, and delete it
 * for good — the account, the visitors merged into it and all their events, merges, preferences
 * and contacts — so that later calls for the same uid start a fresh account.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import type { Database, Queryable } from '../storage/database.ts';
import { validateId } from '../validation/index.ts';
import type { AccountIds } from './account-ids.ts';
import { ACCOUNT_COLUMNS, EVENT_COLUMNS, isUuid, type Account, type Merge, type StoredEvent } from './account-reads.ts';
import type { AccountKey } from './account-writes.ts';
import type { Contact } from './contacts.ts';
import type { MergeService } from './merges.ts';

/** Everything stored about one account, as one JSON document. */
export interface AccountExport {
  format: 'tessera.account-export.v1';
  exportedAt: Date;
  environmentId: string;
  account: Account;
  /** The visitor accounts merged into it (their events are in `events` too). */
  visitors: Account[];
  /** Every merge-log entry that names the account or one of its visitors. */
  merges: Merge[];
  /** The events of the account and of its visitors, oldest first. */
  events: StoredEvent[];
  storedPreferences: Array<{ accountId: string; data: Record<string, unknown>; updatedAt: Date }>;
  contacts: Contact[];
}

export interface AccountDeletion {
  /** False when there was nothing to delete. */
  deleted: boolean;
  /** How many accounts went: the account and the visitors merged into it. */
  accounts: number;
  events: number;
}

const MERGE_COLUMNS = `id, user_id AS "userId", visitor_id AS "visitorId", status, copied_traits AS "copiedTraits",
  created_at AS "createdAt", undone_at AS "undoneAt"`;
const CONTACT_COLUMNS = `id, account_id AS "accountId", name, kind, value, unverified_value AS "unverifiedValue",
  verified_at AS "verifiedAt", status, tag, created_at AS "createdAt", updated_at AS "updatedAt"`;

const notFound = () => new TesseraError(ErrorCode.NOT_FOUND, 'No such account in this environment');

export class AccountPrivacyService {
  constructor(
    private readonly db: Database,
    private readonly accountIds: AccountIds,
    private readonly merges: MergeService,
  ) {}

  /**
   * The user account with this uid, or undefined.
   * @throws TesseraError INVALID_INPUT for an id no account can have (empty, placeholder, too long).
   * @example const user = await privacy.findUser(env.id, 'user-123');
   */
  async findUser(environmentId: string, uid: string): Promise<Account | undefined> {
    const id = validateId(uid, 'uid');
    if (id === undefined) throw new TesseraError(ErrorCode.INVALID_INPUT, 'uid is required');
    const rows = await this.db.query<Account>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE environment_id = $1 AND kind = 'USER' AND uid = $2`,
      [environmentId, id],
    );
    return rows[0];
  }

  /**
   * Everything stored about an account (a user or a visitor) and the visitors merged into it.
   * @throws TesseraError NOT_FOUND
   * @example const doc = await privacy.exportAccount(env.id, account.id);
   */
  async exportAccount(environmentId: string, accountId: string): Promise<AccountExport> {
    if (!isUuid(accountId)) throw notFound();
    // One snapshot, so the parts agree with each other even while the person keeps being tracked.
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const [account] = await tx.query<Account>(
        `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE environment_id = $1 AND id = $2`,
        [environmentId, accountId],
      );
      if (!account) throw notFound();
      const visitors = await tx.query<Account>(
        `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE merged_into_id = $1 ORDER BY created_at, id`,
        [account.id],
      );
      const ids = [account.id, ...visitors.map((v) => v.id)];
      const [merges, events, storedPreferences, contacts] = await sequence(tx, ids);
      return {
        format: 'tessera.account-export.v1',
        exportedAt: new Date(),
        environmentId,
        account,
        visitors,
        merges,
        events,
        storedPreferences,
        contacts,
      };
    });
  }

  /**
   * Deletes an account irreversibly, with the visitors merged into it and everything they own
   * (events, merges, stored preferences, contacts), and makes this process's caches forget them.
   * Visitors whose merge an operator undid are not part of the account any more and stay.
   * @throws TesseraError NOT_FOUND
   * @example const { events } = await privacy.deleteAccount(env.id, account.id);
   */
  async deleteAccount(environmentId: string, accountId: string): Promise<AccountDeletion> {
    const result = isUuid(accountId) ? await this.delete(environmentId, accountId) : undefined;
    if (!result) throw notFound();
    return result;
  }

  /**
   * Exports user `uid`, or undefined when there is no such user.
   * @example const doc = await privacy.exportUser(env.id, 'user-123');
   */
  async exportUser(environmentId: string, uid: string): Promise<AccountExport | undefined> {
    const user = await this.findUser(environmentId, uid);
    return user && this.exportAccount(environmentId, user.id);
  }

  /**
   * Deletes user `uid`; idempotent: `{ deleted: false }` when there is no such user (any more).
   * @example await privacy.deleteUser(env.id, 'user-123');
   */
  async deleteUser(environmentId: string, uid: string): Promise<AccountDeletion> {
    const user = await this.findUser(environmentId, uid);
    const result = user && (await this.delete(environmentId, user.id));
    return result ?? { deleted: false, accounts: 0, events: 0 };
  }

  private async delete(environmentId: string, accountId: string): Promise<AccountDeletion | undefined> {
    const deleted = await this.db.transaction(async (tx) => {
      // Lock the visitors, then the account: the order merges take them in, so no deadlock. While
      // the account is locked no visitor can join it and no event can be written for it.
      const locked = await tx.query<{ id: string }>(
        `SELECT id FROM accounts WHERE environment_id = $1 AND (id = $2 OR merged_into_id = $2)
         ORDER BY id = $2, id FOR UPDATE`,
        [environmentId, accountId],
      );
      if (!locked.some((row) => row.id === accountId)) return undefined;
      const ids = locked.map((row) => row.id);
      const [gone] = await tx.query<{ events: number }>(
        `WITH gone AS (DELETE FROM events WHERE account_id = ANY($1::uuid[]) RETURNING 1)
         SELECT count(*)::int AS events FROM gone`,
        [ids],
      );
      // Merges, stored preferences and contacts go with the accounts (ON DELETE CASCADE).
      const accounts = await tx.query<{ id: string; uid: string | null; anonymousUid: string | null }>(
        `DELETE FROM accounts WHERE id = ANY($1::uuid[]) RETURNING id, uid, anonymous_uid AS "anonymousUid"`,
        [ids],
      );
      return { accounts, events: gone?.events ?? 0 };
    });
    if (!deleted) return undefined;

    // The caches must not hand out the deleted ids: the next call for these uids starts afresh.
    const anonymousUids: string[] = [];
    for (const { uid, anonymousUid } of deleted.accounts) {
      const keys: AccountKey[] = [];
      if (uid !== null) keys.push({ kind: 'USER', uid });
      if (anonymousUid !== null) {
        keys.push({ kind: 'VISITOR', anonymousUid });
        anonymousUids.push(anonymousUid);
      }
      for (const key of keys) this.accountIds.forget(environmentId, key);
    }
    this.merges.forgetAccounts(
      environmentId,
      deleted.accounts.map((a) => a.id),
      anonymousUids,
    );
    return { deleted: true, accounts: deleted.accounts.length, events: deleted.events };
  }
}

/** The export's parts, read one after the other on the transaction's single connection. */
async function sequence(tx: Queryable, ids: string[]) {
  const merges = await tx.query<Merge>(
    `SELECT ${MERGE_COLUMNS} FROM merges WHERE user_id = ANY($1::uuid[]) OR visitor_id = ANY($1::uuid[])
     ORDER BY created_at, id`,
    [ids],
  );
  const events = await tx.query<StoredEvent>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE account_id = ANY($1::uuid[]) ORDER BY "timestamp", id`,
    [ids],
  );
  const preferences = await tx.query<{ accountId: string; data: Record<string, unknown>; updatedAt: Date }>(
    `SELECT account_id AS "accountId", data, updated_at AS "updatedAt" FROM stored_preferences
     WHERE account_id = ANY($1::uuid[]) ORDER BY account_id`,
    [ids],
  );
  const contacts = await tx.query<Contact>(
    `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, kind, value`,
    [ids],
  );
  return [merges, events, preferences, contacts] as const;
}
