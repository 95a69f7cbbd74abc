/** Reading accounts and their timelines, for the admin API and backend reads. */
import { ErrorCode, type AccountRecord, type EventRecord, type MergeRecord, type Page } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import type { Database, Queryable } from '../storage/database.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export type { Page };
/** Records as read from the database: times are Dates. */
export type Account = AccountRecord<Date>;
export type Merge = MergeRecord<Date>;
export type StoredEvent = EventRecord<Date>;

export const ACCOUNT_COLUMNS = `id, environment_id AS "environmentId", kind, uid, anonymous_uid AS "anonymousUid",
  email, phone, name, first_name AS "firstName", last_name AS "lastName", custom, verified,
  unverified_traits AS "unverifiedTraits", merged_into_id AS "mergedIntoId", created_at AS "createdAt",
  updated_at AS "updatedAt", last_seen_at AS "lastSeenAt"`;
export const EVENT_COLUMNS = `id, account_id AS "accountId", name, data, "timestamp", received_at AS "receivedAt",
  system_context AS "systemContext", verified, timestamp_clamped AS "timestampClamped", message_id AS "messageId"`;

/**
 * EVENT_COLUMNS (as `e`) with the JSON columns as their text and the times as epoch milliseconds:
 * what {@link eventJson} turns into JSON without parsing anything.
 */
const EVENT_TEXT_COLUMNS = `e.id, e."accountId", e.name, e.data::text AS data,
  (extract(epoch FROM e."timestamp") * 1000)::float8 AS "timestamp",
  (extract(epoch FROM e."receivedAt") * 1000)::float8 AS "receivedAt", e."systemContext"::text AS "systemContext",
  e.verified, e."timestampClamped", e."messageId"`;

interface EventText {
  id: number;
  accountId: string;
  name: string;
  data: string;
  timestamp: number;
  receivedAt: number;
  systemContext: string | null;
  verified: boolean;
  timestampClamped: boolean;
  messageId: string;
}

/** A StoredEvent's JSON from its text columns (PostgreSQL's JSON text is kept as it is). */
function eventJson(e: EventText): string {
  return (
    `{"id":${e.id},"accountId":${JSON.stringify(e.accountId)},"name":${JSON.stringify(e.name)},"data":${e.data},` +
    `"timestamp":"${new Date(e.timestamp).toISOString()}","receivedAt":"${new Date(e.receivedAt).toISOString()}",` +
    `"systemContext":${e.systemContext ?? 'null'},"verified":${e.verified},"timestampClamped":${e.timestampClamped},` +
    `"messageId":${JSON.stringify(e.messageId)}}`
  );
}

export interface AccountFilter {
  uid?: string;
  anonymousUid?: string;
  /**
   * Matches a uid, anonymous uid or email exactly (case-insensitive email), or accounts whose
   * uid, name or email has words starting with every word of it (`ada love` finds Ada Lovelace).
   */
  q?: string;
  kind?: 'VISITOR' | 'USER';
  verified?: boolean;
  /** Users with (true) or without (false) at least one visitor merged into them. */
  hasMerges?: boolean;
  cursor?: string;
  limit: number;
}

export interface AccountActivity {
  firstEventAt: Date | null;
  lastEventAt: Date | null;
  /** At most EVENT_COUNT_CAP + 1: more than the cap is "over 10,000". */
  eventCount: number;
  mergedVisitors: number;
}

export const EVENT_COUNT_CAP = 10_000;

/** The words people search by; the same expression as the accounts_search index (migration 002). */
const SEARCH_VECTOR = `to_tsvector('simple', coalesce(uid, '') || ' ' || coalesce(name, '') || ' '
  || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' '
  || translate(coalesce(email, ''), '@.+_-', '     '))`;

/** `Ada Love` → `'ada':* & 'love':*` (letters and digits only, so nothing needs escaping). */
function prefixQuery(q: string): string | undefined {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length === 0 ? undefined : words.map((w) => `'${w}':*`).join(' & ');
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
    if (filter.verified !== undefined) add((p) => `verified = ${p}`, filter.verified);
    if (filter.hasMerges !== undefined) {
      where.push(
        `${filter.hasMerges ? '' : 'NOT '}EXISTS (SELECT 1 FROM accounts v WHERE v.merged_into_id = accounts.id)`,
      );
    }
    if (filter.q !== undefined && filter.q !== '') {
      const words = prefixQuery(filter.q);
      add(
        (p) =>
          `(uid = ${p} OR anonymous_uid = ${p} OR lower(email) = lower(${p})${
            words === undefined ? '' : ` OR ${SEARCH_VECTOR} @@ to_tsquery('simple', $${params.length + 1})`
          })`,
        filter.q,
      );
      if (words !== undefined) params.push(words);
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

  /**
   * What the dashboard's people table shows besides the account: first and last seen (the account
   * and its merged visitors' events), the event count (capped at 10,000 and shown as "10,000+", so
   * a page costs the same however busy its people are) and how many visitors were merged into it.
   * Computed only for the given page of ids, each from the timeline index.
   */
  async activity(ids: readonly string[]): Promise<Map<string, AccountActivity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<AccountActivity & { id: string }>(
      `SELECT p.id, t.first AS "firstEventAt", t.last AS "lastEventAt",
         (SELECT count(*)::int FROM accounts v WHERE v.merged_into_id = p.id) AS "mergedVisitors",
         (SELECT count(*)::int FROM (SELECT 1 FROM events e WHERE e.account_id IN
            (SELECT p.id UNION ALL SELECT v.id FROM accounts v WHERE v.merged_into_id = p.id)
            LIMIT ${EVENT_COUNT_CAP + 1}) c) AS "eventCount"
       FROM unnest($1::uuid[]) AS p(id)
       LEFT JOIN LATERAL (
         SELECT min(f.first) AS first, max(f.last) AS last
         FROM (SELECT p.id AS id UNION ALL SELECT v.id FROM accounts v WHERE v.merged_into_id = p.id) ids
         CROSS JOIN LATERAL (SELECT
           (SELECT e."timestamp" FROM events e WHERE e.account_id = ids.id ORDER BY e."timestamp" ASC LIMIT 1) AS first,
           (SELECT e."timestamp" FROM events e WHERE e.account_id = ids.id ORDER BY e."timestamp" DESC LIMIT 1) AS last
         ) f
       ) t ON true`,
      [ids],
    );
    return new Map(rows.map(({ id, ...activity }) => [id, activity]));
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
      // With the ids people know the two sides by, so the dashboard needs no lookup per entry.
      this.db.query<Merge & { userUid: string | null; visitorAnonymousUid: string | null }>(
        `SELECT m.id, m.user_id AS "userId", m.visitor_id AS "visitorId", m.status, m.copied_traits AS "copiedTraits",
                m.created_at AS "createdAt", m.undone_at AS "undoneAt", u.uid AS "userUid",
                v.anonymous_uid AS "visitorAnonymousUid"
         FROM merges m JOIN accounts u ON u.id = m.user_id JOIN accounts v ON v.id = m.visitor_id
         WHERE m.user_id = $1 OR m.visitor_id = $1 ORDER BY m.created_at DESC, m.id`,
        [account.id],
      ),
    ]);
    return { visitors, merges };
  }

  /** The account's timeline, newest first: its own events and those of visitors merged into it. */
  async timeline(
    environmentId: string,
    accountId: string,
    options: { cursor?: string; limit: number },
  ): Promise<Page<StoredEvent>> {
    const rows = await this.#timelineRows<StoredEvent>('e.*', 'tessera_timeline', environmentId, accountId, options);
    return page(rows, options.limit, (e) => encodeCursor(e.timestamp, e.id));
  }

  /**
   * The same page as {@link timeline}, as the JSON text of `{ items, nextCursor }`, written from
   * the rows' text columns: the admin API sends it as it is, without parsing each event's JSON into
   * objects and serializing it again (that was most of the request's time; docs/performance.md, P5).
   */
  async timelineJson(environmentId: string, accountId: string, options: { cursor?: string; limit: number }) {
    const rows = await this.#timelineRows<EventText>(
      EVENT_TEXT_COLUMNS,
      'tessera_timeline_text',
      environmentId,
      accountId,
      options,
    );
    const { items, nextCursor } = page(rows, options.limit, (e) => encodeCursor(new Date(e.timestamp), e.id));
    return `{"items":[${items.map(eventJson).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  }

  /** The newest `limit + 1` events of the timeline (after the cursor), as `select` makes them from `e`. */
  async #timelineRows<Row>(
    select: string,
    statementName: string,
    environmentId: string,
    accountId: string,
    options: { cursor?: string; limit: number },
  ): Promise<Row[]> {
    if (!isUuid(accountId)) throw new TesseraError(ErrorCode.NOT_FOUND, 'No such account in this environment');
    const params: unknown[] = [accountId, options.limit + 1, environmentId];
    let after = '';
    const cursor = decodeCursor(options.cursor);
    if (cursor) {
      params.push(cursor.at, Number(cursor.id));
      after = `AND ("timestamp", id) < ($4, $5)`;
    }
    // One query: for the account and each visitor merged into it, the newest events from the
    // timeline index (LIMIT per account, so the index is read, not the whole history), then the
    // newest of those. `IN (… UNION ALL …)` instead made PostgreSQL read and sort every event of
    // the account (measured: 2 ms instead of 0.3 ms at 2,000 events).
    const rows = await this.db.query<Row>(
      `SELECT ${select} FROM (SELECT $1::uuid AS id UNION ALL SELECT id FROM accounts WHERE merged_into_id = $1) AS a
       CROSS JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM events
         WHERE account_id = a.id AND environment_id = $3 ${after}
         ORDER BY "timestamp" DESC, id DESC LIMIT $2
       ) AS e
       ORDER BY e."timestamp" DESC, e.id DESC LIMIT $2`,
      params,
      // Prepared once per connection: planning took longer than running it (0.21 vs 0.14 ms).
      cursor ? `${statementName}_after` : statementName,
    );
    // No events: an empty timeline, or no such account (404).
    if (rows.length === 0) await this.get(environmentId, accountId);
    return rows;
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
