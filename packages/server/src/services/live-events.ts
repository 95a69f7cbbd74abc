/**
 * The dashboard's live event feed: the newest events of an environment, then those that arrived
 * after a cursor (the last event id seen). Clients poll; the server keeps no state, so any
 * process behind a load balancer can answer. Known limit: with several server processes an
 * event whose transaction commits after a later id was already shown can be missed by the feed
 * (it is still on the person's timeline).
 */
import type { Database } from '../storage/database.ts';

export interface LiveEvent {
  id: number;
  accountId: string;
  name: string;
  data: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
  verified: boolean;
  kind: 'VISITOR' | 'USER';
  uid: string | null;
  anonymousUid: string | null;
  mergedIntoId: string | null;
}

export interface LiveFilter {
  /** Events whose name contains this (case-insensitive). */
  name?: string;
  kind?: 'VISITOR' | 'USER';
  /** The `cursor` of the previous answer; absent for the first call. */
  after?: string;
  /** Most events returned. */
  limit: number;
}

/** How far back the first call looks for matching events: bounded, so a rare filter stays cheap. */
const INITIAL_SCAN = 5000;

export class LiveEvents {
  constructor(private readonly db: Database) {}

  /**
   * Newest first. `cursor` is the highest event id of the environment seen so far.
   * @example const first = await live.poll(env.id, { limit: 50 });
   *          const next = await live.poll(env.id, { limit: 50, after: first.cursor });
   */
  async poll(environmentId: string, filter: LiveFilter): Promise<{ items: LiveEvent[]; cursor: string }> {
    const after = filter.after === undefined || filter.after === '' ? undefined : Number(filter.after);
    // The highest id first, and only events up to it: one inserted meanwhile comes with the next poll.
    // (Ordered by e.id, not by the float8 output column, so the (environment_id, id) index answers.)
    const [top] = await this.db.query<{ top: number }>(
      'SELECT e.id::float8 AS top FROM events e WHERE e.environment_id = $1 ORDER BY e.id DESC LIMIT 1',
      [environmentId],
    );
    const highest = top?.top ?? 0;
    const params: unknown[] = [environmentId, filter.limit, highest];
    const where: string[] = [];
    if (filter.name) {
      params.push(filter.name);
      where.push(`e.name ILIKE '%' || $${params.length} || '%'`);
    }
    if (filter.kind) {
      params.push(filter.kind);
      where.push(`a.kind = $${params.length}`);
    }
    let source: string;
    if (after !== undefined && Number.isSafeInteger(after) && after >= 0) {
      params.push(after);
      source = `SELECT * FROM events WHERE environment_id = $1 AND id > $${params.length} AND id <= $3`;
    } else {
      source = `SELECT * FROM events WHERE environment_id = $1 AND id <= $3 ORDER BY id DESC LIMIT ${INITIAL_SCAN}`;
    }
    const items = await this.db.query<LiveEvent>(
      `SELECT e.id::float8 AS id, e.account_id AS "accountId", e.name, e.data, e."timestamp",
              e.received_at AS "receivedAt", e.verified, a.kind, a.uid, a.anonymous_uid AS "anonymousUid",
              a.merged_into_id AS "mergedIntoId"
       FROM (${source}) e JOIN accounts a ON a.id = e.account_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY e.id DESC LIMIT $2`,
      params,
    );
    return { items, cursor: String(Math.max(highest, after ?? 0)) };
  }
}
