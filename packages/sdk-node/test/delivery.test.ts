// Delivery through a faulty proxy in front of a real server: retries, backoff, splitting, giving up, shutdown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TesseraClient } from '../src/index.ts';
import {
  clientFor,
  debugLog,
  startFaultyProxy,
  startServer,
  type FaultyProxy,
  type ListeningServer,
  type ProxyAction,
  type SeenRequest,
} from './helpers.ts';

const unavailable = (retryAfter: string): ProxyAction => ({
  status: 503,
  headers: { 'retry-after': retryAfter },
  body: { error: { code: 'UNAVAILABLE', message: 'The database is unavailable; retry later' } },
});

describe('@tessera/node delivery', () => {
  let target: ListeningServer;
  const proxies: FaultyProxy[] = [];
  const clients: TesseraClient[] = [];
  const log = debugLog();

  /** A client talking to the server through a proxy that follows `plan`. */
  const through = async (plan: (request: SeenRequest, n: number) => ProxyAction, options = {}) => {
    const proxy = await startFaultyProxy(target.url, plan);
    proxies.push(proxy);
    const made = clientFor(target, { baseUri: proxy.url, debug: log.write, ...options });
    clients.push(made.client);
    return { proxy, ...made };
  };
  const batches = (proxy: FaultyProxy) => proxy.requests.filter((r) => r.path === '/v1/batch');
  const messageIdsOf = (request: SeenRequest) => request.body.batch.map((item: any) => item.messageId);
  const eventsOf = async (uid: string) => {
    const { client } = clientFor(target);
    clients.push(client);
    return (await client.listEvents(uid, { limit: 1000 })).events;
  };

  beforeAll(async () => {
    target = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown(0)));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await target.server.close();
    // Across every test: debug lines never carry a key or a token.
    const all = log.lines.join('\n');
    expect(all).not.toContain(target.server.production.privateKey);
    expect(all).not.toContain('eyJ');
  });

  it('retries after 503 (even when the server had stored the batch) and stores every event once', async () => {
    const { proxy, client } = await through((_r, n) =>
      n === 0 ? 'lose-response' : n === 1 ? unavailable('0') : 'pass',
    );
    for (const n of [1, 2, 3]) client.track('Paid', 'retry-503', { n });
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 3, rejected: [], dropped: 0 });

    const sent = batches(proxy);
    expect(sent).toHaveLength(3);
    // Every attempt carried the same events under the same message ids.
    expect(messageIdsOf(sent[1]!)).toEqual(messageIdsOf(sent[0]!));
    expect(messageIdsOf(sent[2]!)).toEqual(messageIdsOf(sent[0]!));
    expect(new Set(messageIdsOf(sent[0]!)).size).toBe(3);
    // The first attempt was stored, the third was answered "accepted" without storing again.
    const stored = await eventsOf('retry-503');
    expect(stored.map((e) => e.data.n).sort()).toEqual([1, 2, 3]);
    expect(log.lines).toEqual(expect.arrayContaining([expect.stringMatching(/retry 2\/10 in 0 ms/)]));
  });

  it('never retries 400, 401 or 403: the events are dropped and reported', async () => {
    for (const [status, code] of [
      [400, 'INVALID_INPUT'],
      [401, 'UNAUTHORIZED'],
      [403, 'FORBIDDEN'],
    ] as const) {
      const { proxy, client, errors } = await through(() => ({
        status,
        body: { error: { code, message: `no (${status})` } },
      }));
      client.track('Refused', `no-retry-${status}`);
      expect(await client.flush()).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 1 });
      expect(batches(proxy)).toHaveLength(1);
      expect(errors).toEqual([{ error: expect.objectContaining({ code, status }), messageIds: [expect.any(String)] }]);
    }
  });

  it('retries after a network error with backoff', async () => {
    const { proxy, client } = await through((_r, n) => (n === 0 ? 'reset' : 'pass'));
    client.track('Survived', 'net-error');
    expect(await client.flush()).toMatchObject({ delivered: 1 });
    expect(batches(proxy)).toHaveLength(2);
    // Backoff starts at 1 s with "equal jitter": the first wait is 500-1000 ms.
    const wait = log.lines
      .map((l) => /retry 1\/10 in (\d+) ms/.exec(l)?.[1])
      .filter(Boolean)
      .pop();
    expect(Number(wait)).toBeGreaterThanOrEqual(500);
    expect(Number(wait)).toBeLessThanOrEqual(1000);
    expect(await eventsOf('net-error')).toHaveLength(1);
  });

  it('gives each attempt `timeout` ms, then retries', async () => {
    const { proxy, client } = await through((_r, n) => (n === 0 ? 'hang' : 'pass'), { timeout: 500 });
    client.track('Slow', 'timeout');
    expect(await client.flush()).toMatchObject({ delivered: 1 });
    // At least one retry (more only if a loaded machine makes the next attempt slow too).
    expect(batches(proxy).length).toBeGreaterThanOrEqual(2);
    expect(log.lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/network error \(no answer within 500 ms\)/)]),
    );
    expect(await eventsOf('timeout')).toHaveLength(1);
  });

  it('splits a batch the server finds too large (413) until it fits', async () => {
    const { proxy, client } = await through((r) =>
      r.body.batch.length > 2
        ? { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'split' } } }
        : 'pass',
    );
    for (let n = 0; n < 5; n++) client.track('Bulk', 'split', { n });
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 5, rejected: [], dropped: 0 });
    expect(batches(proxy).map((r) => r.body.batch.length)).toEqual([5, 3, 2, 1, 2]);
    expect((await eventsOf('split')).map((e) => e.data.n).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives up after maxRetries and reports the events as dropped', async () => {
    const { proxy, client, errors } = await through(() => unavailable('0'), { maxRetries: 2 });
    client.track('Lost', 'give-up');
    client.track('Lost', 'give-up');
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 2 });
    expect(batches(proxy)).toHaveLength(3);
    expect(errors).toEqual([
      { error: expect.objectContaining({ code: 'UNAVAILABLE', dropped: 2 }), messageIds: expect.any(Array) },
    ]);
    expect(errors[0]!.messageIds).toHaveLength(2);
  });

  it('honours Retry-After, capped at 5 minutes; shutdown() stops waiting at its timeout', async () => {
    const { client, errors } = await through(() => ({
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { error: { code: 'RATE_LIMITED', message: 'slow down' } },
    }));
    const waiting = log.next(/retry 1\/10 in \d+ ms/);
    client.track('Patient', 'rate-limited');
    void client.flush();
    expect(await waiting).toMatch(/retry 1\/10 in 300000 ms/);
    const started = Date.now();
    expect(await client.shutdown(50)).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 1, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errors.map((e) => e.error.code)).toEqual(['SHUT_DOWN']);
  });

  it('identify() retries a 503 too, and resolves once stored', async () => {
    const { proxy, client } = await through((_r, n) => (n === 0 ? 'lose-response' : 'pass'));
    await client.identify('retried-identify', { email: 'r@example.com' });
    expect(proxy.requests.map((r) => r.path)).toEqual(['/v1/identify', '/v1/identify']);
    expect(proxy.requests[1]!.body.messageId).toBe(proxy.requests[0]!.body.messageId);
    expect((await client.getAccount('retried-identify'))?.traits).toEqual({ email: 'r@example.com' });
  });

  it('a call you await does not wait out a long Retry-After: it rejects with the wait', async () => {
    const { client } = await through(() => unavailable('120'));
    await expect(client.identify('impatient')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 503,
      retryAfterMs: 120_000,
    });
  });

  it("does not count a 200 that is not Tessera's answer (a wrong baseUri) as delivered", async () => {
    const { client, errors } = await through(() => ({ status: 200, body: { ok: true } }));
    client.track('Nowhere', 'wrong-base');
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 1 });
    expect(errors.map((e) => e.error.code)).toEqual(['UNEXPECTED_RESPONSE']);
    await expect(client.identify('wrong-base')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });

  it('sends the keys in headers and the environment when configured', async () => {
    const { proxy, client } = await through(() => 'pass', { targetEnvironment: 'production' });
    await client.identify('headers');
    expect(proxy.requests[0]!.headers).toMatchObject({
      'x-public-key': target.server.production.publicKey,
      'x-private-key': target.server.production.privateKey,
      'x-target-environment': 'production',
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^@tessera\/node\/\d+\.\d+\.\d+ node\//),
    });
  });
});
