// The database goes away under load and comes back: 503 + Retry-After meanwhile, no 200 for a
// row that is not stored, and recovery without a restart. Needs a PostgreSQL server to cut.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TesseraServer } from '../../src/server.ts';
import { usingPostgres } from '../helpers/database.ts';
import { startProxiedServer, type ProxiedServer } from '../helpers/proxied-server.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';

describe.runIf(usingPostgres)('/v1 while the database is down', () => {
  let proxied: ProxiedServer;
  let proxy: TcpProxy;
  let server: TesseraServer;
  let publicKey: string;

  beforeAll(async () => {
    proxied = await startProxiedServer();
    ({ proxy, server, publicKey } = proxied);
  });
  afterAll(() => proxied.close());

  const track = (messageId: string, anonymousUid: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', 'x-public-key': publicKey },
      payload: JSON.stringify({ messageId, anonymousUid, event: 'During Outage' }),
    });
  const stored = async (ids: string[]) =>
    new Set(
      (
        await server.db.query<{ m: string }>('SELECT message_id AS m FROM events WHERE message_id = ANY($1)', [ids])
      ).map((r) => r.m),
    );

  it('answers 503 with Retry-After, then recovers without a restart', async () => {
    const anon = randomUUID();
    expect((await track(randomUUID(), anon)).statusCode).toBe(200); // warm: key and account cached

    proxy.cut();
    const down = await track(randomUUID(), anon);
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json().error.code).toBe('UNAVAILABLE');
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(503);

    proxy.restore();
    const back = await track(randomUUID(), anon);
    expect(back.statusCode).toBe(200);
  });

  it('never answers 200 for an event that was not stored, when the database drops mid-burst', async () => {
    const anon = randomUUID();
    await track(randomUUID(), anon);
    const ids = Array.from({ length: 200 }, () => randomUUID());
    // The first 60 go through; the database drops while the other 140 are on their way.
    const first = await Promise.all(ids.slice(0, 60).map((id) => track(id, anon)));
    expect(first.every((r) => r.statusCode === 200)).toBe(true);
    const rest = ids.slice(60).map((id) => track(id, anon));
    setImmediate(() => proxy.cut());
    const results = [...first, ...(await Promise.all(rest))];
    proxy.restore();

    const ok = ids.filter((_, i) => results[i]!.statusCode === 200);
    const failed = ids.filter((_, i) => results[i]!.statusCode !== 200);
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 503)).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    const rows = await stored(ids);
    for (const id of ok) expect(rows.has(id)).toBe(true);
    // A retry of the failed ones stores each exactly once.
    for (const id of failed) expect((await track(id, anon)).statusCode).toBe(200);
    const [count] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE message_id = ANY($1)',
      [ids],
    );
    expect(count!.n).toBe(200);
  });
});
