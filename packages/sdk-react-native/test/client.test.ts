// The React Native client on an AsyncStorage-compatible store, a fake AppState and a fake fetch,
// with fake timers: persistence across restarts, flush on background, token refresh, reset, opt-out.
import type { AppState, AppStateStatus } from 'react-native';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakePlatform, createTestClient, type MemoryStore } from '@tessera/sdk-core/testing';
import {
  asyncStore,
  createReactNativeClient,
  type AsyncStorageLike,
  type ReactNativeClientOptions,
} from '../src/client.ts';

/** AsyncStorage's contract: every call answers with a promise. */
class FakeAsyncStorage implements AsyncStorageLike {
  readonly data = new Map<string, string>();
  async getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  async setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  async removeItem(key: string) {
    this.data.delete(key);
  }
}

/** Checked against React Native's own AppState type. */
class FakeAppState implements Pick<typeof AppState, 'addEventListener'> {
  private listeners: ((s: AppStateStatus) => void)[] = [];
  addEventListener = ((type: string, listener: (s: AppStateStatus) => void) => {
    if (type === 'change') this.listeners.push(listener);
    return { remove: () => undefined };
  }) as (typeof AppState)['addEventListener'];
  set(state: AppStateStatus) {
    for (const l of this.listeners) l(state);
  }
}

interface Sent {
  headers: Record<string, string>;
  body: { batch: any[] };
}

function device(storage = new FakeAsyncStorage()) {
  const sent: Sent[] = [];
  let reply = (_body: Sent['body']): Response => new Response(JSON.stringify({ accepted: 1, rejected: [] }));
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    sent.push({ headers: init?.headers as Record<string, string>, body });
    return reply(body);
  });
  const appState = new FakeAppState();
  const start = (options: Partial<ReactNativeClientOptions> = {}) =>
    createReactNativeClient(
      { publicKey: 'pk_rn', baseUri: 'https://tessera.test/', storage, ...options },
      { appState, fetch: fetch as unknown as typeof globalThis.fetch, os: { name: 'ios', version: '18.1' } },
    );
  return {
    storage,
    sent,
    appState,
    fetch,
    start,
    onReply: (fn: typeof reply) => (reply = fn),
  };
}

const jwt = (uid: string, inSeconds: number) => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ uid, kind: 'USER', exp: Math.floor(Date.now() / 1000) + inSeconds })}.sig`;
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('@tessera/react-native', () => {
  it("sends the queue at launch on a host whose clearTimeout throws for anything but a timer id (Hermes's)", async () => {
    const phone = device();
    const first = phone.start({ flushAt: 100, flushInterval: 60_000 });
    first.track('Left Behind');
    await first.ready;
    await vi.advanceTimersByTimeAsync(0);
    first.close();

    const fakeClear = globalThis.clearTimeout;
    vi.stubGlobal('clearTimeout', (id: unknown) => {
      if (typeof id !== 'number' && typeof id !== 'object')
        throw new TypeError('Argument to clearTimeout must be a number');
      fakeClear(id as ReturnType<typeof setTimeout>);
    });
    try {
      const second = phone.start();
      await second.ready;
      await vi.advanceTimersByTimeAsync(0);
      expect(phone.sent.flatMap((s) => s.body.batch.map((i) => i.event))).toEqual(['Left Behind']);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps the anonymous uid and the queue in AsyncStorage across app restarts', async () => {
    const phone = device();
    const first = phone.start({ flushAt: 100, flushInterval: 60_000 });
    first.track('Opened App'); // before the stored state has loaded: kept, not lost
    await first.ready;
    const anon = first.anonymousUid;
    expect(anon).toMatch(/^[0-9a-f-]{36}$/);
    await vi.advanceTimersByTimeAsync(0);
    expect(JSON.parse(phone.storage.data.get('tessera:id')!).accountAnonymousUid).toBe(anon);
    expect(phone.storage.data.get('tessera:q:pk_rn:main')).toContain('Opened App');
    first.close();

    // The app is killed and started again.
    const second = phone.start({ flushAt: 1 });
    await second.ready;
    expect(second.anonymousUid).toBe(anon);
    await vi.advanceTimersByTimeAsync(0);
    expect(phone.sent).toHaveLength(1);
    expect(phone.sent[0]!.body.batch).toEqual([
      expect.objectContaining({
        type: 'track',
        event: 'Opened App',
        anonymousUid: anon,
        context: { library: { name: '@tessera/react-native', version: '0.1.0' }, os: { name: 'ios', version: '18.1' } },
      }),
    ]);
    expect(phone.fetch.mock.calls[0]![0]).toBe('https://tessera.test/v1/batch');
    expect(phone.sent[0]!.headers).toMatchObject({ 'X-Public-Key': 'pk_rn' });
    expect(phone.storage.data.has('tessera:q:pk_rn:main')).toBe(false);
  });

  it('sends the queue as soon as the app goes to the background', async () => {
    const phone = device();
    const client = phone.start({ flushAt: 100, flushInterval: 600_000 });
    await client.ready;
    client.track('Added to Cart');
    client.track('Checked Out');
    await vi.advanceTimersByTimeAsync(1000);
    expect(phone.sent).toHaveLength(0);
    phone.appState.set('background');
    await vi.advanceTimersByTimeAsync(0);
    expect(phone.sent.flatMap((s) => s.body.batch.map((i) => i.event))).toEqual(['Added to Cart', 'Checked Out']);
  });

  it('retries 503 with Retry-After, without duplicating messageIds', async () => {
    const phone = device();
    let calls = 0;
    phone.onReply(
      (body) =>
        new Response(
          JSON.stringify(
            ++calls === 1
              ? { error: { code: 'UNAVAILABLE', message: 'busy' } }
              : { accepted: body.batch.length, rejected: [] },
          ),
          {
            status: calls === 1 ? 503 : 200,
            headers: { 'Retry-After': '3' },
          },
        ),
    );
    const client = phone.start({ flushAt: 1 });
    await client.ready;
    client.track('Paid');
    await vi.advanceTimersByTimeAsync(2999);
    expect(phone.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(phone.sent).toHaveLength(2);
    expect(phone.sent[1]!.body.batch[0].messageId).toBe(phone.sent[0]!.body.batch[0].messageId);
  });

  it('refreshes an expiring token through the provider (once) and reset starts a new visitor', async () => {
    const phone = device();
    const fresh = jwt('user-rn', 3600);
    const identityTokenProvider = vi.fn(async () => fresh);
    const client = phone.start({ flushAt: 1, identityTokenProvider });
    await client.ready;
    client.setIdentity('user-rn', jwt('user-rn', 5));
    client.track('One');
    client.track('Two');
    await vi.advanceTimersByTimeAsync(0);
    expect(identityTokenProvider).toHaveBeenCalledTimes(1);
    expect(phone.sent.flatMap((s) => s.body.batch.map((i) => i.event))).toEqual(['One', 'Two']);
    expect(phone.sent.every((s) => s.headers['X-Identity-Token'] === fresh)).toBe(true);

    const before = client.anonymousUid;
    client.reset();
    expect(client.anonymousUid).not.toBe(before);
    expect(client.uid).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(JSON.parse(phone.storage.data.get('tessera:id')!)).toEqual({
      accountAnonymousUid: client.anonymousUid,
      accountUid: null,
      identityToken: null,
    });
  });

  it('opted out: nothing stored, nothing sent, remembered across restarts', async () => {
    const phone = device();
    const client = phone.start({ flushAt: 1 });
    await client.ready;
    client.optOut();
    client.track('Hidden');
    phone.appState.set('background');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(phone.sent).toEqual([]);
    expect([...phone.storage.data.keys()]).toEqual(['tessera:consent']);
    const again = phone.start({ flushAt: 1 });
    await again.ready;
    expect(again.optedOut).toBe(true);
  });
});

describe('createClient (index.ts) with react-native mocked', () => {
  it('listens to AppState and reads Platform', async () => {
    const listeners: ((s: AppStateStatus) => void)[] = [];
    vi.doMock('react-native', () => ({
      AppState: { addEventListener: (_: string, l: (s: AppStateStatus) => void) => listeners.push(l) },
      Platform: { OS: 'android', Version: 35 },
    }));
    const { createClient } = await import('../src/index.ts');
    const storage = new FakeAsyncStorage();
    const client = createClient({ publicKey: 'pk_rn', baseUri: 'https://tessera.test', storage });
    await client.ready;
    expect(listeners).toHaveLength(1);
    expect(storage.data.get('tessera:id')).toContain(client.anonymousUid);
    client.close();
    vi.doUnmock('react-native');
  });
});

describe('the core behaviour over an AsyncStorage-shaped store (sdk-core/testing)', () => {
  const onAsyncStorage = (storage = new FakeAsyncStorage()) =>
    // Typed as the fake platform's MemoryStore; its extra helpers (`queued()`) are not used here.
    createFakePlatform({ store: asyncStore(storage) as unknown as MemoryStore, random: () => 0.5 });

  it('queues across restarts, retries with backoff, halves on 413, pauses offline', async () => {
    const storage = new FakeAsyncStorage();
    const first = createTestClient({ flushAt: 1000 }, onAsyncStorage(storage));
    await first.client.ready;
    first.platform.network.set(false);
    for (const e of ['a', 'b', 'c', 'd']) first.client.track(e);
    await vi.advanceTimersByTimeAsync(0);
    expect(await first.client.flush()).toEqual({ kind: 'offline', delivered: 0, rejected: [], dropped: 0 });
    first.client.close();

    const second = createTestClient({ flushAt: 1000 }, onAsyncStorage(storage));
    second.platform.transport.reply('network-error', (r) =>
      r.body.batch.length > 2
        ? { status: 413 }
        : { status: 200, body: { accepted: r.body.batch.length, rejected: [] } },
    );
    await second.client.ready;
    await vi.advanceTimersByTimeAsync(0); // leftovers go at start: a network error
    expect(second.platform.transport.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(750); // 1 s backoff, jittered to 0.75
    expect(second.platform.transport.requests.map((r) => r.body.batch.length)).toEqual([4, 4, 2, 2]);
    expect(second.platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(storage.data.has('tessera:q:pk_test:main')).toBe(false);
  });
});
