// The native ingest API: per-item validation, idempotency, beacon auth, clock skew, limits.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('/v1 ingest', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const post = async (
    url: string,
    body: unknown,
    headers: Record<string, string> = { 'x-public-key': server.production.publicKey },
  ) => {
    const res = await server.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };
  const rows = (sql: string, params: unknown[] = []) => server.db.query<any>(sql, params);
  const eventsWithId = async (messageId: string) =>
    (await rows('SELECT count(*)::int AS n FROM events WHERE message_id = $1', [messageId]))[0].n;

  it('stores the good items of a mixed batch and reports exactly the bad ones', async () => {
    const anon = randomUUID();
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', messageId: randomUUID(), anonymousUid: anon, event: 'First', data: { n: 1 } },
        { type: 'track', messageId: randomUUID(), anonymousUid: anon, event: '' },
        {
          type: 'identify',
          messageId: randomUUID(),
          anonymousUid: anon,
          traits: { email: 'b@example.com', plan: 'pro' },
        },
        { type: 'track', messageId: randomUUID(), uid: 'needs-a-token', event: 'Nope' },
        { type: 'teleport' },
        'not an object',
        {
          type: 'track',
          messageId: randomUUID(),
          anonymousUid: anon,
          event: 'Second',
          data: { deep: { __proto__: null, ok: true } },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 3,
      rejected: [
        { index: 1, code: 'INVALID_INPUT', message: 'event must not be empty' },
        { index: 3, code: 'UNAUTHORIZED', message: expect.stringContaining('identity token is required') },
        { index: 4, code: 'INVALID_INPUT', message: 'type must be "identify" or "track"' },
        { index: 5, code: 'INVALID_INPUT', message: 'Each item must be an object' },
      ],
    });
    const [visitor] = await rows(`SELECT id, email, custom FROM accounts WHERE anonymous_uid = $1`, [anon]);
    expect(visitor).toMatchObject({ email: 'b@example.com', custom: { plan: 'pro' } });
    const names = await rows(`SELECT name FROM events WHERE account_id = $1 ORDER BY id`, [visitor.id]);
    expect(names.map((r: any) => r.name)).toEqual(['First', 'Second']);
  });

  it('refuses a message id with a NUL character or an unpaired surrogate as bad input', async () => {
    for (const messageId of ['a\u0000b', 'lone \ud800']) {
      const res = await post('/v1/track', { messageId, anonymousUid: randomUUID(), event: 'E' });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'INVALID_INPUT',
        message: 'messageId must not contain NUL characters or unpaired surrogates',
        requestId: expect.any(String),
      });
    }
  });

  it('stores a message id once, sequentially or concurrently, per environment', async () => {
    const messageId = randomUUID();
    const item = { messageId, anonymousUid: randomUUID(), event: 'Once' };
    expect((await post('/v1/track', item)).body).toEqual({ accepted: 1, rejected: [] });
    expect((await post('/v1/track', item)).body).toEqual({ accepted: 1, rejected: [] });
    expect(await eventsWithId(messageId)).toBe(1);

    const concurrent = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('/v1/batch', { batch: [{ ...item, type: 'track', messageId: concurrent }] }),
      ),
    );
    expect(results.every((r) => r.status === 200 && r.body.accepted === 1)).toBe(true);
    expect(await eventsWithId(concurrent)).toBe(1);

    await post('/v1/track', item, { 'x-public-key': server.staging.publicKey });
    expect(await eventsWithId(messageId)).toBe(2); // one per environment
  });

  it('accepts sendBeacon bodies: text/plain with the key in the body', async () => {
    const messageId = randomUUID();
    const res = await post(
      '/v1/batch',
      JSON.stringify({
        publicKey: server.production.publicKey,
        batch: [{ type: 'track', messageId, anonymousUid: randomUUID(), event: 'Page Hidden' }],
      }),
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await eventsWithId(messageId)).toBe(1);
    expect((await post('/v1/batch', { batch: [] }, {})).status).toBe(401);
  });

  it('corrects the client clock with sentAt', async () => {
    const messageId = randomUUID();
    const clientNow = Date.now() - 3_600_000; // the device is an hour behind
    await post('/v1/batch', {
      sentAt: new Date(clientNow).toISOString(),
      batch: [
        {
          type: 'track',
          messageId,
          anonymousUid: randomUUID(),
          event: 'Skewed',
          timestamp: new Date(clientNow - 60_000).toISOString(),
        },
      ],
    });
    const [event] = await rows('SELECT "timestamp" FROM events WHERE message_id = $1', [messageId]);
    expect(Math.abs(new Date(event.timestamp).getTime() - (Date.now() - 60_000))).toBeLessThan(5_000);
  });

  it('stores the event time to the millisecond, and the receipt time on a whole millisecond', async () => {
    const messageId = randomUUID();
    // An odd millisecond, a minute ago (within the accepted range, so not clamped).
    const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + 789).toISOString();
    const before = Date.now();
    await post('/v1/track', { messageId, anonymousUid: randomUUID(), event: 'Exact', timestamp });
    const [event] = await rows(
      `SELECT "timestamp", received_at AS "receivedAt",
              extract(microseconds FROM received_at)::int % 1000 AS "receivedSubMs"
       FROM events WHERE message_id = $1`,
      [messageId],
    );
    expect(new Date(event.timestamp).toISOString()).toBe(timestamp);
    expect(event.receivedSubMs).toBe(0);
    expect(new Date(event.receivedAt).getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers 413 for too many items or too many bytes, 400 for a malformed request, 401 for a bad key', async () => {
    const tooMany = Array.from({ length: 1001 }, () => ({ type: 'track', anonymousUid: 'a', event: 'E' }));
    expect((await post('/v1/batch', { batch: tooMany })).status).toBe(413);
    const tooBig = await post('/v1/batch', {
      batch: [{ type: 'track', anonymousUid: 'a', event: 'E', data: { pad: 'x'.repeat(530_000) } }],
    });
    expect(tooBig.status).toBe(413);
    expect((await post('/v1/batch', { batch: 'nope' })).body).toEqual({
      error: { code: 'INVALID_INPUT', message: 'batch must be a list of items', requestId: expect.any(String) },
    });
    expect((await post('/v1/batch', '{oops')).status).toBe(400);
    expect((await post('/v1/batch', { batch: [] }, { 'x-public-key': 'pk_wrong' })).body).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Incorrect Public Key.', requestId: expect.any(String) },
    });
  });

  it('single-item endpoints answer the item error with its status', async () => {
    expect((await post('/v1/identify', { anonymousUid: randomUUID(), traits: { name: 'Solo' } })).body).toEqual({
      accepted: 1,
      rejected: [],
    });
    const bad = await post('/v1/track', { anonymousUid: randomUUID(), event: 'x'.repeat(300) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
  });

  it('200 concurrent track requests become 200 rows, written in fewer statements', async () => {
    const anon = randomUUID();
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const before = { ...server.services.eventWriter.stats };
    const results = await Promise.all(
      ids.map((messageId) => post('/v1/track', { messageId, anonymousUid: anon, event: 'Burst' })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const [count] = await rows(`SELECT count(*)::int AS n FROM events WHERE message_id = ANY($1)`, [ids]);
    expect(count.n).toBe(200);
    const { flushes, rows: written } = server.services.eventWriter.stats;
    expect(written - before.rows).toBe(200);
    expect(flushes - before.flushes).toBeLessThan(100); // coalesced: several rows per statement
  });
});
