// Input limits on /graphql: never a 500, never a 2xx for data that is then dropped.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY, TRACK, accountOf, firstError, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('input safety on /graphql', () => {
  let server: TestServer;
  let keys: { publicKey: string; privateKey: string };
  beforeAll(async () => {
    server = await startTestServer();
    keys = server.production;
  });
  afterAll(() => server.close());

  const refused = async (input: Record<string, unknown>, query = TRACK) => {
    const res = await gql(server, query, input, keys);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    return firstError(res.body);
  };

  it('stores NUL and lone surrogates as U+FFFD', async () => {
    const anon = randomUUID();
    const res = await gql(
      server,
      TRACK,
      {
        event: 'Odd\u0000Name',
        accountAnonymousUid: anon,
        data: { text: 'a\u0000b', lone: 'x\ud800y', 'key\u0000': 1, emoji: '😀' },
      },
      keys,
    );
    expect(res.body.data).toEqual({ trackEvent: { success: true } });
    const [event] = (await accountOf(server, 'production', `anonymousUid=${anon}`)).events;
    expect(event.name).toBe('Odd\ufffdName');
    expect(event.data).toEqual({ text: 'a\ufffdb', lone: 'x\ufffdy', 'key\ufffd': 1, emoji: '😀' });
  });

  it('refuses bad event names, ids and data with INVALID_INPUT', async () => {
    const anon = randomUUID();
    expect(await refused({ event: '', accountAnonymousUid: anon })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused({ event: 'x'.repeat(201), accountAnonymousUid: anon })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await refused({ event: 'E', accountUid: 'x'.repeat(256) })).toMatchObject({ code: 'INVALID_INPUT' });
    for (const placeholder of [
      'null',
      'undefined',
      'anonymous',
      '0',
      '[object Object]',
      '00000000-0000-0000-0000-000000000000',
    ]) {
      expect(await refused({ event: 'E', accountUid: placeholder }), placeholder).toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 11; i++) deep = { d: deep };
    expect(await refused({ event: 'E', accountAnonymousUid: anon, data: deep })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(
      await refused({ event: 'E', accountAnonymousUid: anon, data: { big: 'x'.repeat(33 * 1024) } }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
    // A bad Timestamp fails variable coercion: a request error, so no `data` at all.
    const badTime = await gql(server, TRACK, { event: 'E', accountAnonymousUid: anon, timestamp: 'yesterday' }, keys);
    expect(firstError(badTime.body)).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('ISO 8601'),
    });
    expect(
      await refused({ event: 'E', accountAnonymousUid: anon, data: { nested: { constructor: 1 } } }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await accountOf(server, 'production', `anonymousUid=${anon}`)).toBeUndefined();
  });

  it('explains fields that DashX identify does not have (custom traits go through /v1)', async () => {
    const res = await gql(server, IDENTIFY, { anonymousUid: randomUUID(), plan: 'pro' }, keys);
    expect(res.status).toBe(200);
    expect(firstError(res.body)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"plan"') });
  });

  it('refuses __proto__ keys sent as raw JSON', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-public-key': keys.publicKey },
      payload: `{"query":${JSON.stringify(TRACK)},"variables":{"input":{"event":"E","accountAnonymousUid":"${randomUUID()}","data":{"__proto__":{"admin":true}}}}}`,
    });
    expect(firstError(res.json())).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('__proto__'),
    });
  });

  it('accepts timestamps with and without fractional seconds; clamps the far future', async () => {
    const anon = randomUUID();
    const future = new Date(Date.now() + 48 * 3600_000).toISOString();
    for (const timestamp of ['2026-11-29T17:51:58Z', '2026-11-29T17:51:58.548Z', future]) {
      expect(
        (await gql(server, TRACK, { event: timestamp, accountAnonymousUid: anon, timestamp }, keys)).body.data,
      ).toEqual({
        trackEvent: { success: true },
      });
    }
    const events = (await accountOf(server, 'production', `anonymousUid=${anon}`)).events;
    const byName = Object.fromEntries(events.map((e: any) => [e.name, e]));
    expect(byName['2026-11-29T17:51:58Z']).toMatchObject({
      timestamp: '2026-11-29T17:51:58.000Z',
      timestampClamped: false,
    });
    expect(byName['2026-11-29T17:51:58.548Z'].timestamp).toBe('2026-11-29T17:51:58.548Z');
    expect(byName[future].timestampClamped).toBe(true);
    expect(Math.abs(Date.parse(byName[future].timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('answers a body over 512 KB with 413', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-public-key': keys.publicKey },
      payload: JSON.stringify({
        query: TRACK,
        variables: { input: { event: 'E', data: { pad: 'x'.repeat(513 * 1024) } } },
      }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unsupported DashX operations clearly, never with fake data', async () => {
    const res = await gql(
      server,
      'mutation TrackNotification($input: TrackNotificationInput!) { trackNotification(input: $input) { success } }',
      {
        id: randomUUID(),
        status: 'OPENED',
        timestamp: new Date().toISOString(),
      },
      keys,
    );
    expect(res.body.data).toBeNull();
    expect(firstError(res.body)).toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringContaining('not supported'),
    });
  });
});
