// Delivery on the fake platform with fake timers: queue, batching, backoff, Retry-After, 413, 4xx, offline.
import { createFakePlatform, createTestClient, MemoryStore } from '@tessera/sdk-core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advance } from './helpers.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('queue and batching', () => {
  it('sends one batch to /v1/batch with the headers and a complete item per event', async () => {
    const { client, platform } = createTestClient({ flushAt: 2, targetEnvironment: 'staging' });
    client.identify({ email: 'v@example.com' });
    client.track('Clicked', { button: 'buy' });
    await advance(0);

    expect(platform.transport.requests).toHaveLength(1);
    const [req] = platform.transport.requests;
    expect(req!.url).toBe('http://tessera.test/v1/batch');
    expect(req!.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Public-Key': 'pk_test',
      'X-Target-Environment': 'staging',
    });
    expect(req!.body.sentAt).toBe('2026-11-29T12:00:00.000Z');
    const [identify, track] = req!.body.batch;
    const common = {
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      anonymousUid: client.anonymousUid,
      timestamp: '2026-11-29T12:00:00.000Z',
      context: { library: { name: '@tessera/sdk-core', version: 'test' } },
    };
    expect(identify).toEqual({ type: 'identify', traits: { email: 'v@example.com' }, ...common });
    expect(track).toEqual({ type: 'track', event: 'Clicked', data: { button: 'buy' }, ...common });
    expect(identify!.messageId).not.toBe(track!.messageId);
  });

  it('waits for flushAt events or flushInterval, whichever comes first', async () => {
    const { client, platform } = createTestClient({ flushAt: 3, flushInterval: 1000 });
    client.track('a');
    client.track('b');
    await advance(999);
    expect(platform.transport.requests).toHaveLength(0);
    await advance(1);
    expect(platform.transport.requests.map((r) => r.body.batch.length)).toEqual([2]);

    client.track('c');
    client.track('d');
    client.track('e');
    await advance(0);
    expect(platform.transport.requests.map((r) => r.body.batch.length)).toEqual([2, 3]);
  });

  it('splits at maxBatchSize', async () => {
    const { client, platform } = createTestClient({ flushAt: 1000, maxBatchSize: 4 });
    for (let i = 0; i < 10; i++) client.track(`e${i}`);
    const result = await client.flush();
    expect(result).toEqual({ kind: 'done', delivered: 10, rejected: [], dropped: 0 });
    expect(platform.transport.requests.map((r) => r.body.batch.length)).toEqual([4, 4, 2]);
  });

  it('keeps the queue in storage until the server acknowledges it, across restarts', async () => {
    const platform = createFakePlatform();
    platform.network.set(false);
    const first = createTestClient({}, platform).client;
    first.track('Before restart');
    await advance(0);
    expect(platform.store.queued().map((i) => (i.type === 'track' ? i.event : ''))).toEqual(['Before restart']);
    first.close();

    // The app restarts, online this time, on the same storage.
    const again = createFakePlatform({ store: platform.store });
    const second = createTestClient({}, again).client;
    await advance(0);
    expect(second.anonymousUid).toBe(first.anonymousUid);
    expect(again.transport.delivered).toEqual([expect.objectContaining({ event: 'Before restart' })]);
    expect(platform.store.queued()).toEqual([]);
  });

  it('drops the oldest events beyond maxQueueSize and counts them, reporting once', async () => {
    const { client, platform, errors } = createTestClient({ maxQueueSize: 3 });
    platform.network.set(false);
    for (let i = 0; i < 5; i++) client.track(`e${i}`);
    await advance(0);
    expect(client.droppedCount).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(['QUEUE_FULL']);
    platform.network.set(true);
    await advance(0);
    expect(platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual(['e2', 'e3', 'e4']);
  });
});

describe('failures', () => {
  it('retries network errors and 5xx with exponential backoff and jitter, never duplicating a messageId', async () => {
    const platform = createFakePlatform({ random: () => 0.5 });
    platform.transport.reply('network-error', { status: 500 }, 'network-error', { status: 502 });
    const { client } = createTestClient({ flushAt: 1 }, platform);
    client.track('Paid');
    await advance(0);
    const times = () => platform.transport.requests.length;
    expect(times()).toBe(1);
    // Delay for attempt n is 1 s·2^(n-1), jittered into [½, 1) of it: 0.75 of it with random 0.5.
    for (const delay of [750, 1500, 3000, 6000]) {
      const before = times();
      await advance(delay - 1);
      expect(times()).toBe(before);
      await advance(1);
      expect(times()).toBe(before + 1);
    }
    const ids = new Set(platform.transport.requests.map((r) => r.body.batch[0]!.messageId));
    expect(ids.size).toBe(1);
    expect(platform.transport.delivered).toHaveLength(1);
    expect(platform.store.queued()).toEqual([]);
  });

  it('caps the backoff at 5 minutes', async () => {
    const platform = createFakePlatform({ random: () => 0.999999 });
    platform.transport.fallback = 'network-error';
    const { client } = createTestClient({ flushAt: 1 }, platform);
    client.track('x');
    await advance(0);
    await advance(20 * 60_000); // attempts at ~1, 2, 4, … then every 5 min
    const count = platform.transport.requests.length;
    await advance(300_000);
    expect(platform.transport.requests.length).toBe(count + 1);
  });

  it('honours Retry-After on 429 and 503, capped at 5 minutes', async () => {
    const { client, platform } = createTestClient({ flushAt: 1 });
    platform.transport.reply({ status: 429, retryAfter: '7' }, { status: 503, retryAfter: '86400' });
    client.track('x');
    await advance(0);
    await advance(6999);
    expect(platform.transport.requests).toHaveLength(1);
    await advance(1);
    expect(platform.transport.requests).toHaveLength(2);
    // An explicit flush does not jump the server's wait.
    expect(await client.flush()).toEqual({ kind: 'retry-later', delivered: 0, rejected: [], dropped: 0 });
    await advance(299_999);
    expect(platform.transport.requests).toHaveLength(2);
    await advance(1);
    expect(platform.transport.delivered).toHaveLength(1);
  });

  it('halves the batch on 413 and drops a single event that is still too large', async () => {
    const { client, platform, errors } = createTestClient({ flushAt: 1000 });
    platform.transport.fallback = (r) =>
      r.body.batch.some((i) => i.type === 'track' && i.event === 'huge') || r.body.batch.length > 2
        ? { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'too large' } } }
        : { status: 200, body: { accepted: r.body.batch.length, rejected: [] } };
    for (const e of ['a', 'b', 'c', 'huge', 'd', 'e', 'f', 'g']) client.track(e);
    const result = await client.flush();
    expect(result).toEqual({ kind: 'done', delivered: 7, rejected: [], dropped: 1 });
    expect(platform.transport.requests.map((r) => r.body.batch.length)).toEqual([8, 4, 2, 2, 1, 1, 1, 1, 1, 1]);
    expect(platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
    ]);
    expect(errors).toEqual([expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', status: 413, dropped: 1 })]);
  });

  it.each([
    [400, 'INVALID_INPUT'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
  ])('drops and reports a batch answered %i, never retrying it', async (status, code) => {
    const { client, platform, errors } = createTestClient({ flushAt: 2 });
    platform.transport.reply({ status, body: { error: { code, message: `refused ${status}` } } });
    client.track('a');
    client.track('b');
    await advance(0);
    await advance(600_000);
    expect(platform.transport.requests).toHaveLength(1);
    expect(platform.store.queued()).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ name: 'TesseraError', code, status, dropped: 2, message: `refused ${status}` }),
    ]);
  });

  it('reports a refusal without an error body as UNEXPECTED_RESPONSE', async () => {
    const { client, platform, errors } = createTestClient({ flushAt: 1 });
    platform.transport.reply({ status: 404 });
    client.track('a');
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 1 });
    expect(errors).toEqual([expect.objectContaining({ code: 'UNEXPECTED_RESPONSE', status: 404, dropped: 1 })]);
  });

  it('reports the items the server rejected in a 200, and keeps the rest delivered', async () => {
    const { client, platform, errors } = createTestClient({ flushAt: 2 });
    platform.transport.reply({
      status: 200,
      body: { accepted: 1, rejected: [{ index: 1, code: 'INVALID_INPUT', message: 'data too deep' }] },
    });
    client.track('ok');
    client.track('bad');
    const result = await client.flush();
    const bad = platform.transport.requests[0]!.body.batch[1]!;
    expect(result).toEqual({
      kind: 'done',
      delivered: 1,
      rejected: [{ messageId: bad.messageId, event: 'bad', code: 'INVALID_INPUT', message: 'data too deep' }],
      dropped: 0,
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', status: 200, dropped: 1 })]);
    expect(errors[0]!.message).toContain('data too deep');
  });

  it('reports bad calls instead of throwing, and sends nothing for them', async () => {
    const { client, platform, errors } = createTestClient({ flushAt: 1 });
    client.track('');
    client.track('x'.repeat(201));
    client.track('ok', [] as never);
    client.identify('null', {});
    await advance(0);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT']);
    expect(platform.transport.requests).toEqual([]);
  });
});

describe('offline', () => {
  it('sends nothing while offline and everything once back online', async () => {
    const { client, platform } = createTestClient({ flushAt: 1, flushInterval: 100 });
    platform.network.set(false);
    client.track('a');
    client.track('b');
    await advance(10_000);
    expect(platform.transport.requests).toEqual([]);
    expect(await client.flush()).toEqual({ kind: 'offline', delivered: 0, rejected: [], dropped: 0 });

    platform.network.set(true);
    await advance(0);
    expect(platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual(['a', 'b']);
  });

  it('coming online cuts a network-error backoff short', async () => {
    const { client, platform } = createTestClient({ flushAt: 1 });
    platform.transport.reply('network-error', 'network-error', 'network-error');
    client.track('a');
    await advance(0);
    await advance(1000);
    await advance(2000);
    expect(platform.transport.requests).toHaveLength(3);
    platform.network.set(false);
    platform.network.set(true);
    await advance(0);
    expect(platform.transport.delivered).toHaveLength(1);
  });
});

describe('async stores (AsyncStorage)', () => {
  it('holds calls made before the stored state loads, then sends them with the stored identity', async () => {
    const store = new MemoryStore({ async: true });
    const anon = '5a0c4e4e-8a3b-4c61-9a55-3c1d7a2b9e10';
    store.data.set('tessera:id', JSON.stringify({ accountAnonymousUid: anon, accountUid: null, identityToken: null }));
    const { client, platform } = createTestClient({ flushAt: 1 }, createFakePlatform({ store }));
    client.track('early');
    expect(client.anonymousUid).toBe('');
    await client.ready;
    expect(client.anonymousUid).toBe(anon);
    await advance(0);
    expect(platform.transport.delivered).toEqual([expect.objectContaining({ event: 'early', anonymousUid: anon })]);
  });
});
