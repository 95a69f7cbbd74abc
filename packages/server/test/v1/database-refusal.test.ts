// A database that refuses connections (too many clients, shutting down) or stops answering is an
// outage: 503 UNAVAILABLE with Retry-After on ingest and admin reads, never a 500 and never a hang.
// Needs a PostgreSQL server to stand a proxy in front of.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TesseraServer } from '../../src/server.ts';
import { usingPostgres } from '../helpers/database.ts';
import { startProxiedServer, type ProxiedServer } from '../helpers/proxied-server.ts';
import { ADMIN_TOKEN } from '../helpers/server.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';

/** The statement/acquire timeout these tests run with, so a hung database is noticed quickly. */
const TIMEOUT_MS = 1_000;

describe.runIf(usingPostgres)('a database that refuses or hangs', () => {
  let proxied: ProxiedServer;
  let proxy: TcpProxy;
  let server: TesseraServer;
  let publicKey: string;

  beforeAll(async () => {
    proxied = await startProxiedServer({ dbPoolSize: 2, dbStatementTimeoutMs: TIMEOUT_MS });
    ({ proxy, server, publicKey } = proxied);
  });
  afterAll(() => proxied.close());

  const batch = (anonymousUid: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', 'x-public-key': publicKey },
      payload: JSON.stringify({
        batch: [{ type: 'track', messageId: randomUUID(), anonymousUid, event: 'Refused' }],
      }),
    });
  const adminRead = () =>
    server.app.inject({
      method: 'GET',
      url: '/admin/api/environments/production/accounts',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
  const expectUnavailable = (res: Awaited<ReturnType<typeof batch>>) => {
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json().error.code).toBe('UNAVAILABLE');
  };

  it('answers 503 with Retry-After when PostgreSQL refuses with 53300 (too many connections)', async () => {
    const anon = randomUUID();
    expect((await batch(anon)).statusCode).toBe(200);
    expect((await adminRead()).statusCode).toBe(200);

    proxy.refuse('53300');
    expectUnavailable(await batch(randomUUID()));
    expectUnavailable(await adminRead());

    proxy.restore();
    expect((await batch(anon)).statusCode).toBe(200);
    expect((await adminRead()).statusCode).toBe(200);
  });

  it('answers 503 when PostgreSQL is shutting down (57P03) or drops the connection', async () => {
    proxy.refuse('57P03');
    expectUnavailable(await batch(randomUUID()));
    proxy.cut();
    expectUnavailable(await adminRead());
    proxy.restore();
    expect((await batch(randomUUID())).statusCode).toBe(200);
  });

  it('answers 503 within the timeout when the database hangs, then recovers', async () => {
    const anon = randomUUID();
    expect((await batch(anon)).statusCode).toBe(200);

    proxy.pause();
    const started = Date.now();
    // More requests than pooled connections: the waiters for a connection are bounded too.
    const answers = await Promise.all([
      batch(randomUUID()),
      batch(randomUUID()),
      adminRead(),
      adminRead(),
      batch(anon),
    ]);
    const took = Date.now() - started;
    for (const res of answers) expectUnavailable(res);
    // The statement/acquire timeout plus the driver's margin, and some slack for a loaded machine.
    expect(took).toBeLessThan(TIMEOUT_MS * 2 + 1_000 + 3_000);

    proxy.restore();
    expect((await batch(anon)).statusCode).toBe(200);
    expect((await adminRead()).statusCode).toBe(200);
  }, 20_000);
});
