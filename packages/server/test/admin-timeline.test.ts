// The admin API's timeline is JSON written from PostgreSQL's text columns: it must say exactly what
// the stored events say (as AccountReads.timeline reads them), page after page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK, gql } from './helpers/graphql.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('admin API account timeline', () => {
  let server: TestServer;
  let environmentId: string;
  let accountId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const keys = { publicKey: server.production.publicKey };
    const events = [
      { event: 'Plain', data: { sku: 'tea-01', price: 12.5, qty: 3 } },
      {
        event: 'Unicode “quotes” and emoji 🍵',
        data: { note: 'line\nbreak, tab\t, quote " and \\ and \u0001', å: 'ø' },
      },
      { event: 'Nested', data: { a: [1, 2.25, -0.5, 1e21, null, true], b: { c: { d: 'deep' } } } },
      { event: 'No data', systemContext: { ipV4: 'NA', locale: 'de-DE', library: { name: '@dashx/browser' } } },
      ...Array.from({ length: 6 }, (_, i) => ({ event: `Page ${i}`, data: { i } })),
    ];
    for (const [i, e] of events.entries()) {
      const input = {
        accountAnonymousUid: 'timeline-visitor',
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        ...e,
      };
      const res = await gql(server, TRACK, input, keys);
      expect(res.body.errors).toBeUndefined();
    }
    const list = await server.admin('GET', '/environments/production/accounts?anonymousUid=timeline-visitor');
    accountId = list.body.items[0].id;
    environmentId = (await server.services.environments.get('production')).id;
  });
  afterAll(() => server.close());

  it('answers with the stored events, newest first, as the service reads them', async () => {
    const res = await server.admin('GET', `/environments/production/accounts/${accountId}/events?limit=50`);
    expect(res.status).toBe(200);
    const page = await server.services.accountReads.timeline(environmentId, accountId, { limit: 50 });
    expect(page.items).toHaveLength(10);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(page)));
    expect(res.body.items.map((e: { name: string }) => e.name).slice(-2)).toEqual([
      'Unicode “quotes” and emoji 🍵',
      'Plain',
    ]);
    expect(res.body.items.at(-1).timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages with nextCursor exactly like the service', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const res = await server.admin('GET', `/environments/production/accounts/${accountId}/events${query}`);
      expect(res.status).toBe(200);
      const page = await server.services.accountReads.timeline(environmentId, accountId, {
        limit: 3,
        ...(cursor && { cursor }),
      });
      expect(res.body).toEqual(JSON.parse(JSON.stringify(page)));
      seen.push(...res.body.items.map((e: { name: string }) => e.name));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });

  it('answers 404 for an unknown account and 400 for a bad cursor', async () => {
    const unknown = await server.admin(
      'GET',
      '/environments/production/accounts/00000000-0000-0000-0000-000000000000/events',
    );
    expect(unknown.status).toBe(404);
    const bad = await server.admin('GET', `/environments/production/accounts/${accountId}/events?cursor=nope`);
    expect(bad.status).toBe(400);
  });
});
