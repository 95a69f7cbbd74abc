/**
 * The dashboard's overview of one environment: events and active people per day (UTC), new
 * visitors and users, visitor→user conversions (merges) and the most frequent events.
 *
 * Counting events and distinct people means reading every event of a day, so each past day is
 * computed once and kept in `dashboard_daily_stats` (shared by every server process); today is
 * always computed afresh. A kept day is recomputed (at most every 5 min) until it is 2 days old,
 * so events that arrive late (offline queues) are still counted. Days still to compute are done
 * together, in one pass over their span.
 */
import type { DayStats, Overview } from '@tessera/protocol';
import type { Database } from '../storage/database.ts';

export type { DayStats, Overview };

type Day = DayStats & { eventNames: Record<string, number> };

const DAY_MS = 86_400_000;
/** A day's numbers are final this long after it ended (late events have arrived by then). */
const SETTLE_MS = 2 * DAY_MS;
/** An unsettled day is recomputed at most this often. */
const REFRESH_MS = 5 * 60_000;
/** Event names kept per day: enough for a top 10 over any period, bounded for noisy names. */
const NAMES_PER_DAY = 200;

export class StatsService {
  constructor(private readonly db: Database) {}

  /**
   * The last `days` days up to and including today (UTC).
   * @example const { days, topEvents } = await stats.overview(env.id, 30);
   */
  async overview(environmentId: string, days: number, now = new Date()): Promise<Overview> {
    const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
    const start = end - days * DAY_MS;
    const byDay = await this.days(environmentId, start, end, now.getTime());

    const list: Day[] = [];
    const names = new Map<string, number>();
    for (let t = start; t < end; t += DAY_MS) {
      const day = byDay.get(isoDay(t)) ?? emptyDay(isoDay(t));
      list.push(day);
      for (const [name, n] of Object.entries(day.eventNames)) names.set(name, (names.get(name) ?? 0) + n);
    }
    const sum = (key: 'events' | 'newVisitors' | 'newUsers' | 'conversions') => list.reduce((n, d) => n + d[key], 0);
    return {
      from: isoDay(start),
      to: isoDay(end - DAY_MS),
      days: list.map(({ eventNames: _, ...d }) => d),
      totals: {
        events: sum('events'),
        activePeople: list[list.length - 1]?.activePeople ?? 0,
        newVisitors: sum('newVisitors'),
        newUsers: sum('newUsers'),
        conversions: sum('conversions'),
      },
      topEvents: [...names.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([name, count]) => ({ name, count })),
    };
  }

  /** Each day of [start, end): kept ones from the table, the others computed (and kept) now. */
  private async days(environmentId: string, start: number, end: number, now: number): Promise<Map<string, Day>> {
    const kept = await this.db.query<Day & { computedAt: Date }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, events, active_people AS "activePeople",
              new_visitors AS "newVisitors", new_users AS "newUsers", conversions, event_names AS "eventNames",
              computed_at AS "computedAt"
       FROM dashboard_daily_stats WHERE environment_id = $1 AND day >= $2::date AND day < $3::date`,
      [environmentId, isoDay(start), isoDay(end)],
    );
    const result = new Map<string, Day>(kept.map(({ computedAt: _, ...k }) => [k.day, k]));
    const current = new Map(kept.map((k) => [k.day, k.computedAt.getTime()]));
    // The span to compute: from the first day that needs it to today (which always does).
    let from = end - DAY_MS;
    for (let t = start; t < end - DAY_MS; t += DAY_MS) {
      const computedAt = current.get(isoDay(t));
      const settled = computedAt !== undefined && computedAt >= t + DAY_MS + SETTLE_MS;
      const fresh = computedAt !== undefined && now - computedAt < REFRESH_MS;
      if (!settled && !fresh) {
        from = t;
        break;
      }
    }
    const computed = await this.compute(environmentId, from, end);
    const today = isoDay(end - DAY_MS);
    for (const day of computed.values()) {
      result.set(day.day, day);
      if (day.day === today) continue;
      await this.db.query(
        `INSERT INTO dashboard_daily_stats (environment_id, day, events, active_people, new_visitors, new_users,
                                            conversions, event_names)
         VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (environment_id, day) DO UPDATE SET events = EXCLUDED.events,
           active_people = EXCLUDED.active_people, new_visitors = EXCLUDED.new_visitors,
           new_users = EXCLUDED.new_users, conversions = EXCLUDED.conversions,
           event_names = EXCLUDED.event_names, computed_at = now()`,
        [
          environmentId,
          day.day,
          day.events,
          day.activePeople,
          day.newVisitors,
          day.newUsers,
          day.conversions,
          JSON.stringify(day.eventNames),
        ],
      );
    }
    return result;
  }

  /** Every day of [from, end) from the raw tables, in one pass per table. */
  private async compute(environmentId: string, from: number, end: number): Promise<Map<string, Day>> {
    const range = [environmentId, new Date(from), new Date(end)];
    const dayOf = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    const [names, people, accounts, merges] = await Promise.all([
      this.db.query<{ day: string; name: string; n: number }>(
        `SELECT ${dayOf('"timestamp"')} AS day, name, count(*)::int AS n FROM events
         WHERE environment_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3
         GROUP BY 1, 2 ORDER BY 1, n DESC, name`,
        range,
      ),
      // Distinct (day, account) first, far fewer than events; then each account counts as its user if merged.
      this.db.query<{ day: string; n: number }>(
        `SELECT e.day, count(DISTINCT coalesce(a.merged_into_id, a.id))::int AS n
         FROM (SELECT DISTINCT ${dayOf('"timestamp"')} AS day, account_id FROM events
               WHERE environment_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3) e
         JOIN accounts a ON a.id = e.account_id
         GROUP BY e.day`,
        range,
      ),
      this.db.query<{ day: string; visitors: number; users: number }>(
        `SELECT ${dayOf('created_at')} AS day,
                count(*) FILTER (WHERE kind = 'VISITOR')::int AS visitors,
                count(*) FILTER (WHERE kind = 'USER')::int AS users
         FROM accounts WHERE environment_id = $1 AND created_at >= $2 AND created_at < $3
         GROUP BY 1`,
        range,
      ),
      this.db.query<{ day: string; n: number }>(
        `SELECT ${dayOf('created_at')} AS day, count(*)::int AS n
         FROM merges WHERE environment_id = $1 AND created_at >= $2 AND created_at < $3 AND status = 'merged'
         GROUP BY 1`,
        range,
      ),
    ]);
    const days = new Map<string, Day>();
    for (let t = from; t < end; t += DAY_MS) days.set(isoDay(t), emptyDay(isoDay(t)));
    for (const r of names) {
      const day = days.get(r.day);
      if (!day) continue;
      day.events += r.n;
      if (Object.keys(day.eventNames).length < NAMES_PER_DAY) day.eventNames[r.name] = r.n;
    }
    for (const r of people) Object.assign(days.get(r.day) ?? {}, { activePeople: r.n });
    for (const r of accounts) Object.assign(days.get(r.day) ?? {}, { newVisitors: r.visitors, newUsers: r.users });
    for (const r of merges) Object.assign(days.get(r.day) ?? {}, { conversions: r.n });
    return days;
  }
}

function emptyDay(day: string): Day {
  // No prototype: an event may be named "__proto__".
  return {
    day,
    events: 0,
    activePeople: 0,
    newVisitors: 0,
    newUsers: 0,
    conversions: 0,
    eventNames: Object.create(null),
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
