// 429 RATE_LIMITED with Retry-After: ingest per public key, failed credentials per address, and
// the admin API per address; TESSERA_RATE_LIMIT=off turns every limit off.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK } from '../helpers/graphql.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

/** A POST with a public key, from a client address. */
const post = (server: TestServer, url: string, body: unknown, publicKey: string, remoteAddress: string) =>
  server.app.inject({
    method: 'POST',
    url,
    remoteAddress,
    headers: { 'content-type': 'application/json', 'x-public-key': publicKey },
    payload: JSON.stringify(body),
  });
const track = (server: TestServer, publicKey: string, remoteAddress = '127.0.0.1') =>
  post(
    server,
    '/v1/track',
    { messageId: randomUUID(), anonymousUid: randomUUID(), event: 'Limited' },
    publicKey,
    remoteAddress,
  );
const graphqlTrack = (server: TestServer, publicKey: string, remoteAddress: string) =>
  post(
    server,
    '/graphql',
    { query: TRACK, variables: { input: { event: 'Limited', accountAnonymousUid: randomUUID() } } },
    publicKey,
    remoteAddress,
  );
const adminRead = (server: TestServer, remoteAddress: string) =>
  server.app.inject({
    url: '/admin/api/environments',
    remoteAddress,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });

describe('rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Bursts of twice the rate: 2 per key, 2 failures per address, 6 admin requests per address.
    server = await startTestServer({ rateLimitPerKey: 1, rateLimitPerIp: 1, rateLimitAdmin: 3 });
  });
  afterAll(() => server.close());

  it('limits ingest per public key, other keys unaffected', async () => {
    // At once, from two addresses: the key's burst of 2 is spent whoever sends.
    const answers = await Promise.all(
      ['127.0.0.1', '10.1.1.1', '127.0.0.1', '10.1.1.1'].map((ip) => track(server, server.production.publicKey, ip)),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 429, 429]);
    const limited = answers.find((r) => r.statusCode === 429)!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json().error.code).toBe('RATE_LIMITED');

    expect((await track(server, server.staging.publicKey)).statusCode).toBe(200);
  });

  it('limits failed credentials per client address, other addresses unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await track(server, 'pk_wrong', '10.2.2.2')).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    // A good key from that address waits too; another address does not.
    expect((await track(server, server.staging.publicKey, '10.2.2.2')).statusCode).toBe(429);
    expect((await track(server, 'pk_wrong', '10.3.3.3')).statusCode).toBe(401);
  });

  it('limits GraphQL calls by the same key and address budgets, answered as DashX errors with Retry-After', async () => {
    // A key of its own, so the /v1 test above has not spent its budget.
    const { keyPair } = await server.services.environments.create('graphql-limits');
    const answers = await Promise.all([1, 2, 3].map(() => graphqlTrack(server, keyPair.publicKey, '10.6.6.6')));
    const codes = answers.map((r) => r.json().errors?.[0]?.extensions.code ?? 'ok').sort();
    expect(codes).toEqual(['RATE_LIMITED', 'ok', 'ok']);
    const limited = answers.find((r) => r.json().errors)!;
    expect(limited.statusCode).toBe(200);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const failures: string[] = [];
    for (let i = 0; i < 3; i++)
      failures.push((await graphqlTrack(server, 'pk_wrong', '10.7.7.7')).json().errors[0].extensions.code);
    expect(failures).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'RATE_LIMITED']);
  });

  it('limits the admin API per client address', async () => {
    const answers = await Promise.all(Array.from({ length: 7 }, () => adminRead(server, '10.4.4.4')));
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect((await adminRead(server, '10.5.5.5')).statusCode).toBe(200);
  });
});

describe('rate limits off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: 'off', rateLimitPerKey: 1, rateLimitPerIp: 1, rateLimitAdmin: 1 });
  });
  afterAll(() => server.close());

  it('never answers 429', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => track(server, server.production.publicKey)),
      ...Array.from({ length: 10 }, () => track(server, 'pk_wrong')),
      ...Array.from({ length: 10 }, () => adminRead(server, '127.0.0.1')),
    ]);
    expect(answers.map((a) => a.statusCode).filter((s) => s === 429)).toEqual([]);
  });
});
