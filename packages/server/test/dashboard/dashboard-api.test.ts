// The admin API behind the dashboard: people filters and search, per-row activity, statistics,
// the live feed, export/delete, and serving the built app at `/`.
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY, TRACK, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('admin API for the dashboard', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const list = async (query: string) => (await server.admin('GET', `/environments/production/accounts?${query}`)).body;

  beforeAll(async () => {
    server = await startTestServer();
    const { publicKey, privateKey } = server.production;
    const backend = { publicKey, privateKey };
    await gql(
      server,
      TRACK,
      { event: 'Viewed Pricing', accountAnonymousUid: 'anon-1', timestamp: '2020-01-02T10:00:00Z' },
      { publicKey },
    );
    await gql(server, TRACK, { event: 'Viewed Docs', accountAnonymousUid: 'anon-1' }, { publicKey });
    await gql(
      server,
      IDENTIFY,
      { uid: 'ada-1', email: 'Ada.Lovelace@Example.com', firstName: 'Ada', lastName: 'Lovelace' },
      backend,
    );
    const token = jwt.sign({ uid: 'ada-1', kind: 'USER' }, privateKey, { expiresIn: '1h' });
    await gql(server, IDENTIFY, { uid: 'ada-1', anonymousUid: 'anon-1' }, { publicKey, token });
    await gql(server, TRACK, { event: 'Signed Up', accountUid: 'ada-1' }, backend);
    await gql(server, IDENTIFY, { uid: 'grace-2', name: "Grace O'Hopper", email: 'grace@navy.example' }, backend);
    await gql(server, IDENTIFY, { anonymousUid: 'anon-2', email: 'someone@example.com' }, { publicKey });
    // Unverified: a uid without a token in an environment where verification is optional.
    await server.admin('PATCH', '/environments/production', { identityVerification: 'optional' });
    await gql(server, IDENTIFY, { uid: 'eve-3', name: 'Eve Unverified' }, { publicKey });
    await server.admin('PATCH', '/environments/production', { identityVerification: 'required' });
    for (const item of (await list('limit=50')).items) ids[item.uid ?? item.anonymousUid] = item.id;
  });
  afterAll(() => server.close());

  it('lists each row with first/last seen, its event count (merged visitors included) and merged visitors', async () => {
    const ada = (await list('uid=ada-1')).items[0];
    expect(ada).toMatchObject({ eventCount: 3, mergedVisitors: 1 });
    expect(new Date(ada.firstEventAt).toISOString()).toBe('2020-01-02T10:00:00.000Z');
    expect(new Date(ada.lastEventAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await list('uid=grace-2')).items[0]).toMatchObject({
      eventCount: 0,
      mergedVisitors: 0,
      firstEventAt: null,
    });
  });

  it('searches by exact uid or email, and by word prefixes of name and email', async () => {
    const find = async (q: string) =>
      (await list(`q=${encodeURIComponent(q)}`)).items.map((a: any) => a.uid ?? a.anonymousUid).sort();
    expect(await find('ada.lovelace@example.com')).toEqual(['ada-1']);
    expect(await find('ada love')).toEqual(['ada-1']);
    expect(await find('Lovel')).toEqual(['ada-1']);
    expect(await find('grace@nav')).toEqual(['grace-2']);
    expect(await find("o'hop")).toEqual(['grace-2']);
    expect(await find('anon-2')).toEqual(['anon-2']);
    expect(await find('nobody')).toEqual([]);
    expect(await find('%')).toEqual([]);
  });

  it('filters by kind, verified and merges, with keyset pagination', async () => {
    const uids = (body: any) => body.items.map((a: any) => a.uid ?? a.anonymousUid).sort();
    expect(uids(await list('verified=false'))).toEqual(['eve-3']);
    expect(uids(await list('hasMerges=true'))).toEqual(['ada-1']);
    expect(uids(await list('kind=USER&hasMerges=false'))).toEqual(['eve-3', 'grace-2']);
    expect(uids(await list('kind=VISITOR'))).toEqual(['anon-1', 'anon-2']);
    expect((await server.admin('GET', '/environments/production/accounts?verified=maybe')).status).toBe(400);

    const first = await list('limit=2');
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    const third = await list(`limit=2&cursor=${second.nextCursor}`);
    expect([...first.items, ...second.items, ...third.items].map((a: any) => a.id)).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
  });

  it('names both sides of each merge in the account detail', async () => {
    const detail = await server.admin('GET', `/environments/production/accounts/${ids['ada-1']}`);
    expect(detail.body.merges[0]).toMatchObject({ status: 'merged', userUid: 'ada-1', visitorAnonymousUid: 'anon-1' });
  });

  it('computes the overview: events and people per day, new visitors and users, conversions, top events', async () => {
    const res = await server.admin('GET', '/environments/production/stats?days=7');
    expect(res.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.days).toHaveLength(7);
    expect(res.body.to).toBe(today);
    // The 2020 event is outside the period.
    expect(res.body.totals).toEqual({ events: 2, activePeople: 1, newVisitors: 2, newUsers: 3, conversions: 1 });
    expect(res.body.days.at(-1)).toMatchObject({ day: today, events: 2, activePeople: 1, conversions: 1 });
    expect(res.body.topEvents).toEqual([
      { name: 'Signed Up', count: 1 },
      { name: 'Viewed Docs', count: 1 },
    ]);
    expect((await server.admin('GET', '/environments/production/stats?days=0')).status).toBe(400);
    expect((await server.admin('GET', '/environments/nope/stats')).status).toBe(404);
  });

  it('feeds live events: the newest first, then only newer ones, filtered by name and kind', async () => {
    const first = await server.admin('GET', '/environments/production/live');
    expect(first.body.items.map((e: any) => e.name)).toEqual(['Signed Up', 'Viewed Docs', 'Viewed Pricing']);
    expect(first.body.items[0]).toMatchObject({ kind: 'USER', uid: 'ada-1' });
    const quiet = await server.admin('GET', `/environments/production/live?after=${first.body.cursor}`);
    expect(quiet.body).toEqual({ items: [], cursor: first.body.cursor });

    await gql(server, TRACK, { event: 'Live Ping', accountUid: 'grace-2' }, server.production);
    await gql(
      server,
      TRACK,
      { event: 'Other', accountAnonymousUid: 'anon-9' },
      { publicKey: server.production.publicKey },
    );
    const next = await server.admin('GET', `/environments/production/live?after=${first.body.cursor}`);
    expect(next.body.items.map((e: any) => e.name)).toEqual(['Other', 'Live Ping']);
    const filtered = await server.admin(
      'GET',
      `/environments/production/live?after=${first.body.cursor}&name=PING&kind=USER`,
    );
    expect(filtered.body.items.map((e: any) => e.name)).toEqual(['Live Ping']);
    expect(filtered.body.cursor).toBe(next.body.cursor);
    // Another environment's events never show.
    const staging = await server.admin('GET', '/environments/staging/live');
    expect(staging.body.items).toEqual([]);
    expect((await server.admin('GET', '/environments/production/live?after=abc')).status).toBe(400);
  });

  it('exports a person as JSON and deletes them', async () => {
    const exported = await server.app.inject({
      url: `/admin/api/environments/production/accounts/${ids['ada-1']}/export`,
      headers: { authorization: `Bearer ${'test-admin-token-0123456789'}` },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    const doc = exported.json();
    expect(doc.account.uid).toBe('ada-1');
    expect(doc.visitors.map((v: any) => v.anonymousUid)).toEqual(['anon-1']);
    expect(doc.events.map((e: any) => e.name).sort()).toEqual(['Signed Up', 'Viewed Docs', 'Viewed Pricing']);

    const deleted = await server.admin('DELETE', `/environments/production/accounts/${ids['ada-1']}`);
    expect(deleted.body).toMatchObject({ deleted: true, accounts: 2, events: 3 });
    expect((await list('uid=ada-1')).items).toEqual([]);
    expect((await server.admin('DELETE', `/environments/production/accounts/${ids['ada-1']}`)).status).toBe(404);
    expect((await server.admin('GET', `/environments/staging/accounts/${ids['grace-2']}/export`)).status).toBe(404);
  });

  it('serves the dashboard to browsers at any app path, and keeps JSON 404s for the APIs', async () => {
    const html = { accept: 'text/html,application/xhtml+xml' };
    const root = await server.app.inject({ url: '/', headers: html });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toContain('text/html');
    expect(root.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(root.headers['x-frame-options']).toBe('DENY');
    const deep = await server.app.inject({ url: '/e/production/people/123?q=x', headers: html });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(root.body);

    for (const url of ['/admin/api/nope', '/v1/nope', '/graphql/x', '/healthz/x']) {
      const res = await server.app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // A script asking for a missing file gets a 404, not the app.
    expect((await server.app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/../../package.json', headers: html })).body).not.toContain('"name"');
  });
});
