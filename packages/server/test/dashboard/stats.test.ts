// The overview's per-day numbers: past days are kept in dashboard_daily_stats, today is always
// fresh, and a recent day is recomputed (after 5 min) so late events still count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DAY = 86_400_000;

describe('overview statistics', () => {
  let server: TestServer;
  let envId: string;
  // The days are fixed once, so a run that crosses midnight UTC still looks at the same dates.
  const start = Date.now();
  const dates = [0, 1, 5].map((n) => new Date(start - n * DAY).toISOString().slice(0, 10));
  const day = (daysAgo: 0 | 1 | 5) => dates[[0, 1, 5].indexOf(daysAgo)]!;
  const track = (event: string, daysAgo: 0 | 1 | 5, uid = 'stats-user') =>
    gql(server, TRACK, { event, accountUid: uid, timestamp: `${day(daysAgo)}T12:00:00Z` }, server.production);
  const overview = (now = new Date()) => server.services.stats.overview(envId, 7, now);
  const eventsOn = (o: Awaited<ReturnType<typeof overview>>, daysAgo: 0 | 1 | 5) =>
    o.days.find((d) => d.day === day(daysAgo))?.events;

  beforeAll(async () => {
    server = await startTestServer();
    envId = (await server.services.environments.get('production')).id;
    await track('Old', 5);
    await track('Recent', 1);
    await track('Today', 0);
  });
  afterAll(() => server.close());

  it('keeps past days and recomputes today on every call', async () => {
    const first = await overview();
    expect([eventsOn(first, 5), eventsOn(first, 1), eventsOn(first, 0)]).toEqual([1, 1, 1]);
    const kept = await server.db.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM dashboard_daily_stats ORDER BY day`,
    );
    expect(kept.map((k) => k.day)).toContain(day(5));
    expect(kept.map((k) => k.day)).not.toContain(day(0));

    await track('Today', 0, 'second-user');
    await track('Old', 5, 'second-user');
    await track('Recent', 1, 'second-user');
    const second = await overview();
    expect(eventsOn(second, 0)).toBe(2);
    expect(second.days.at(-1)?.activePeople).toBe(2);
    // Settled days are final; a recent day waits for its next refresh.
    expect(eventsOn(second, 5)).toBe(1);
    expect(eventsOn(second, 1)).toBe(1);
    const later = await overview(new Date(Date.now() + 6 * 60_000));
    expect(eventsOn(later, 1)).toBe(2);
    expect(later.topEvents).toEqual([
      { name: 'Recent', count: 2 },
      { name: 'Today', count: 2 },
      { name: 'Old', count: 1 },
    ]);
  });
});
