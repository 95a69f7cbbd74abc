// An environment's own ingest rate per key (rate_limit_per_key) replaces TESSERA_RATE_LIMIT_PER_KEY
// for its public keys, bursts of twice that, on /v1 and GraphQL alike; null goes back to the
// server-wide rate; bad values are refused 400.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('per-environment ingest rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Server-wide: 1 a second per key, bursts of 2.
    server = await startTestServer({ rateLimitPerKey: 1 });
  });
  afterAll(() => server.close());

  const track = (publicKey: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', 'x-public-key': publicKey },
      payload: JSON.stringify({ messageId: randomUUID(), anonymousUid: randomUUID(), event: 'Rate Check' }),
    });
  const graphqlTrack = (publicKey: string) =>
    server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-public-key': publicKey },
      payload: JSON.stringify({
        query: TRACK,
        variables: { input: { event: 'Rate Check', accountAnonymousUid: randomUUID() } },
      }),
    });
  /** Sends `n` requests at once; the sorted statuses (GraphQL: its error code or 'ok'). */
  const burst = async (n: number, send: () => ReturnType<typeof track>, graphql = false) => {
    const answers = await Promise.all(Array.from({ length: n }, send));
    return answers
      .map((r) => (graphql ? (r.json().errors?.[0]?.extensions.code ?? 'ok') : String(r.statusCode)))
      .sort();
  };
  const count = (statuses: string[], status: string) => statuses.filter((s) => s === status).length;

  it('lets an environment allow more than the server-wide rate: bursts of twice its own', async () => {
    const created = await server.admin('POST', '/environments', { name: 'busy-shop', rateLimitPerKey: 5 });
    expect(created.status).toBe(201);
    expect(created.body.rateLimitPerKey).toBe(5);
    // 16 at once: 10 fit the burst, and refilling 6 more would take over a second.
    const statuses = await burst(16, () => track(created.body.keyPair.publicKey));
    expect(count(statuses, '200')).toBeGreaterThanOrEqual(10);
    expect(count(statuses, '429')).toBeGreaterThanOrEqual(1);
    // Another environment keeps the server-wide burst of 2.
    const other = await burst(4, () => track(server.staging.publicKey));
    expect(other).toEqual(['200', '200', '429', '429']);
  });

  it('applies to GraphQL too, and can be set later', async () => {
    const created = await server.admin('POST', '/environments', { name: 'quiet-shop' });
    expect(created.body.rateLimitPerKey).toBeNull();
    const updated = await server.admin('PATCH', '/environments/quiet-shop', { rateLimitPerKey: 2 });
    expect(updated.body.rateLimitPerKey).toBe(2);
    const codes = await burst(8, () => graphqlTrack(created.body.keyPair.publicKey), true);
    expect(count(codes, 'ok')).toBeGreaterThanOrEqual(4);
    expect(count(codes, 'RATE_LIMITED')).toBeGreaterThanOrEqual(1);
  });

  it('goes back to the server-wide rate with null', async () => {
    const created = await server.admin('POST', '/environments', { name: 'was-busy', rateLimitPerKey: 50 });
    const reset = await server.admin('PATCH', '/environments/was-busy', { rateLimitPerKey: null });
    expect(reset.body.rateLimitPerKey).toBeNull();
    expect((await server.admin('GET', '/environments/was-busy')).body.rateLimitPerKey).toBeNull();
    expect(await burst(4, () => track(created.body.keyPair.publicKey))).toEqual(['200', '200', '429', '429']);
  });

  it('refuses a rate that is not a whole number from 1 to 1,000,000', async () => {
    for (const rateLimitPerKey of [0, -1, 1.5, 1_000_001]) {
      const res = await server.admin('PATCH', '/environments/production', { rateLimitPerKey });
      expect({ rateLimitPerKey, status: res.status }).toEqual({ rateLimitPerKey, status: 400 });
      expect(res.body.error).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/rateLimitPerKey must be a whole number/),
      });
    }
    expect((await server.admin('GET', '/environments/production')).body.rateLimitPerKey).toBeNull();
  });
});
