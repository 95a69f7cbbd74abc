/** Reading accounts and their timelines, for the admin API and backend reads. */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import type { Database, Queryable } from '../storage/database.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface Account {
  id: string;
  environmentId: string;
  kind: 'VISITOR' | 'USER';
  uid: string | null;
  anonymousUid: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  custom: Record<string, unknown>;
  verified: boolean;
  unverifiedTraits: string[];
  mergedIntoId: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date;
}

export interface Merge {
  id: string;
  userId: string;
  visitorId: string;
  status: 'merged' | 'undone' | 'refused';
  copiedTraits: Record<string, unknown>;
  createdAt: Date;
  undoneAt: Date | null;
}

export interface StoredEvent {
  id: number;
  accountId: string;
  name: string;
  data: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
  systemContext: Record<string, unknown> | null;
  verified: boolean;
  timestampClamped: boolean;
  messageId: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export const ACCOUNT_COLUMNS = `id, environment_id AS "environmentId", kind, uid, anonymous_uid AS "anonymousUid",
  email, phone, name, first_name AS "firstName", last_name AS "lastName", custom, verified,
  unverified_traits AS "unverifiedTraits", merged_into_id AS "mergedIntoId", created_at AS "createdAt",
  updated_at AS "updatedAt", last_seen_at AS "lastSeenAt"`;
const MERGE_COLUMNS = `id, user_id AS "userId", visitor_id AS "visitorId", status, copied_traits AS "copiedTraits",
  created_at AS "createdAt", undone_at AS "undoneAt"`;
const EVENT_COLUMNS = `id, account_id AS "accountId", name, data, "timestamp", received_at AS "receivedAt",
  system_context AS "systemContext", verified, timestamp_clamped AS "timestampClamped", message_id AS "messageId"`;

export interface AccountFilter {
  uid?: string;
  anonymousUid?: string;
  /** Matches a uid or email exactly (case-insensitive email) or a name containing it. */
  q?: string;
  kind?: 'VISITOR' | 'USER';
  cursor?: string;
  limit: number;
}

export class AccountReads {
  constructor(private readonly db: Database) {}

  async list(environmentId: string, filter: AccountFilter): Promise<Page<Account>> {
    const where = ['environment_id = $1'];
    const params: unknown[] = [environmentId];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.uid !== undefined) add((p) => `uid = ${p}`, filter.uid);
    if (filter.anonymousUid !== undefined) add((p) => `anonymous_uid = ${p}`, filter.anonymousUid);
    if (filter.kind !== undefined) add((p) => `kind = ${p}`, filter.kind);
    if (filter.q !== undefined && filter.q !== '') {
      add(
        (p) => `(uid = ${p} OR anonymous_uid = ${p} OR lower(email) = lower(${p})
          OR concat_ws(' ', name, first_name, last_name) ILIKE '%' || ${p} || '%')`,
        filter.q,
      );
    }
    const cursor = decodeCursor(filter.cursor);
    if (cursor) {
      params.push(cursor.at, cursor.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    const rows = await this.db.query<Account>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return page(rows, filter.limit, (a) => encodeCursor(a.createdAt, a.id));
  }

  async get(environmentId: string, id: string, q: Queryable = this.db): Promise<Account> {
    const rows = isUuid(id)
      ? await q.query<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE environment_id = $1 AND id = $2`, [
          environmentId,
          id,
        ])
      : [];
    const account = rows[0];
    if (!account) throw new TesseraError(ErrorCode.NOT_FOUND, 'No such account in this environment');
    return account;
  }

  /** The visitors merged into an account, and its merge log (newest first). */
  async identities(account: Account): Promise<{ visitors: Account[]; merges: Merge[] }> {
    const [visitors, merges] = await Promise.all([
      this.db.query<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE merged_into_id = $1 ORDER BY created_at`, [
        account.id,
      ]),
      this.db.query<Merge>(
        `SELECT ${MERGE_COLUMNS} FROM merges WHERE user_id = $1 OR visitor_id = $1 ORDER BY created_at DESC, id`,
        [account.id],
      ),
    ]);
    return { visitors, merges };
  }

  /** The account's timeline, newest first: its own events and those of visitors merged into it. */
  async timeline(account: Account, options: { cursor?: string; limit: number }): Promise<Page<StoredEvent>> {
    const params: unknown[] = [account.id, options.limit + 1];
    let after = '';
    const cursor = decodeCursor(options.cursor);
    if (cursor) {
      params.push(cursor.at, Number(cursor.id));
      after = `AND ("timestamp", id) < ($3, $4)`;
    }
    const rows = await this.db.query<StoredEvent>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE account_id IN (SELECT $1::uuid UNION ALL SELECT id FROM accounts WHERE merged_into_id = $1) ${after}
       ORDER BY "timestamp" DESC, id DESC LIMIT $2`,
      params,
    );
    return page(rows, options.limit, (e) => encodeCursor(e.timestamp, e.id));
  }
}

function page<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
