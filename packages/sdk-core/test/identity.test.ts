// Identity on the fake platform: persistence, setIdentity, reset, consent, token refresh.
import { createFakePlatform, createTestClient, FakeInstances, MemoryStore } from '@tessera/sdk-core/testing';
import { DashXMessage } from '@tessera/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advance, jwt } from './helpers.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const expired = {
  status: 401,
  body: { error: { code: 'UNAUTHORIZED', message: DashXMessage.tokenExpired, reason: 'IDENTITY_TOKEN_EXPIRED' } },
};

describe('identity state', () => {
  it('mints a UUID v4 on first use, stores it, and keeps it on the next start', () => {
    const platform = createFakePlatform();
    const { client } = createTestClient({}, platform);
    expect(client.anonymousUid).toMatch(UUID_V4);
    expect(JSON.parse(platform.store.data.get('tessera:id')!)).toEqual({
      accountAnonymousUid: client.anonymousUid,
      accountUid: null,
      identityToken: null,
    });
    const again = createTestClient({}, createFakePlatform({ store: platform.store })).client;
    expect(again.anonymousUid).toBe(client.anonymousUid);
  });

  it('replaces a corrupt stored anonymous uid instead of failing', () => {
    const store = new MemoryStore();
    store.data.set('tessera:id', '{"accountAnonymousUid":"not-a-uuid"}');
    const { client } = createTestClient({}, createFakePlatform({ store }));
    expect(client.anonymousUid).toMatch(UUID_V4);
  });

  it('setAnonymousIdentity accepts only a UUID v4, with DashX’s message', () => {
    const { client } = createTestClient();
    expect(() => client.setAnonymousIdentity('1234')).toThrow('Anonymous UID must be a valid UUID');
    expect(() => client.setAnonymousIdentity('5a0c4e4e-8a3b-1c61-9a55-3c1d7a2b9e10')).toThrow(
      'Anonymous UID must be a valid UUID',
    );
    client.setAnonymousIdentity('5A0C4E4E-8A3B-4C61-9A55-3C1D7A2B9E10');
    expect(client.anonymousUid).toBe('5A0C4E4E-8A3B-4C61-9A55-3C1D7A2B9E10');
  });

  it('setIdentity sends later events with the uid and token, and merges the visitor (anonymousUid along)', async () => {
    const platform = createFakePlatform();
    const { client } = createTestClient({ flushAt: 1 }, platform);
    const token = jwt('user-1', 3600);
    client.track('Visited');
    client.setIdentity('user-1', token);
    client.track('Logged In');
    await advance(0);
    const [visit, login] = platform.transport.requests;
    expect(visit!.headers['X-Identity-Token']).toBeUndefined();
    expect(visit!.body.batch[0]).not.toHaveProperty('uid');
    expect(login!.headers['X-Identity-Token']).toBe(token);
    expect(login!.body.batch[0]).toMatchObject({ uid: 'user-1', anonymousUid: client.anonymousUid });
    // It survives a restart.
    const again = createTestClient({}, createFakePlatform({ store: platform.store })).client;
    expect(again.uid).toBe('user-1');
  });

  it('identify(uid, traits) stores the uid; identify(traits) keeps it', async () => {
    const { client, platform } = createTestClient({ flushAt: 2 });
    client.identify('user-2', { email: 'u2@example.com' });
    client.identify({ plan: 'pro' });
    await advance(0);
    expect(client.uid).toBe('user-2');
    expect(platform.transport.requests[0]!.body.batch).toEqual([
      expect.objectContaining({ type: 'identify', uid: 'user-2', traits: { email: 'u2@example.com' } }),
      expect.objectContaining({ type: 'identify', uid: 'user-2', traits: { plan: 'pro' } }),
    ]);
  });

  it('reset mints a new visitor and forgets the user, but still delivers what they queued with their token', async () => {
    const { client, platform } = createTestClient({ flushAt: 100 });
    const token = jwt('user-1', 3600);
    client.setIdentity('user-1', token);
    const before = client.anonymousUid;
    platform.network.set(false);
    client.track('Last click');
    client.reset();
    client.track('Anonymous again');
    expect(client.anonymousUid).not.toBe(before);
    expect(client.anonymousUid).toMatch(UUID_V4);
    expect(client.uid).toBeNull();
    expect(JSON.parse(platform.store.data.get('tessera:id')!)).toEqual({
      accountAnonymousUid: client.anonymousUid,
      accountUid: null,
      identityToken: null,
    });

    platform.network.set(true);
    await advance(0);
    const [old, fresh] = platform.transport.requests;
    expect(old!.headers['X-Identity-Token']).toBe(token);
    expect(old!.body.batch).toEqual([
      expect.objectContaining({ event: 'Last click', uid: 'user-1', anonymousUid: before }),
    ]);
    expect(fresh!.headers['X-Identity-Token']).toBeUndefined();
    expect(fresh!.body.batch).toEqual([
      expect.objectContaining({ event: 'Anonymous again', anonymousUid: client.anonymousUid }),
    ]);
    expect(fresh!.body.batch[0]).not.toHaveProperty('uid');
  });
});

describe('consent', () => {
  it('optOut forgets the queue and identity and stores nothing more; optIn resumes', async () => {
    const { client, platform } = createTestClient({ flushAt: 1 });
    platform.network.set(false);
    client.track('queued');
    await advance(0);
    client.optOut();
    client.track('ignored');
    client.identify({ email: 'x@example.com' });
    platform.network.set(true);
    await advance(60_000);
    expect(platform.transport.requests).toEqual([]);
    expect([...platform.store.data.entries()]).toEqual([['tessera:consent', 'out']]);

    // Remembered across restarts.
    const again = createTestClient({ flushAt: 1 }, createFakePlatform({ store: platform.store }));
    expect(again.client.optedOut).toBe(true);
    again.client.track('still ignored');
    await advance(0);
    expect(again.platform.transport.requests).toEqual([]);

    again.client.optIn();
    again.client.track('counted');
    await advance(0);
    expect(again.platform.transport.delivered).toEqual([expect.objectContaining({ event: 'counted' })]);
    expect(platform.store.data.get('tessera:consent')).toBe('in');
  });

  it('the optedOut option stores nothing at all until optIn', async () => {
    const { client, platform } = createTestClient({ flushAt: 1, optedOut: true });
    client.track('x');
    client.setIdentity('user-1', jwt('user-1', 60));
    await advance(0);
    expect(platform.store.data.size).toBe(0);
    expect(platform.transport.requests).toEqual([]);
    client.optIn();
    expect(JSON.parse(platform.store.data.get('tessera:id')!)).toMatchObject({ accountUid: 'user-1' });
  });
});

describe('token refresh', () => {
  it('refreshes before exp, once, while every send waits for it', async () => {
    let calls = 0;
    let resolve!: (t: string) => void;
    const identityTokenProvider = vi.fn(() => {
      calls++;
      return new Promise<string>((r) => (resolve = r));
    });
    const { client, platform } = createTestClient({ flushAt: 1, maxBatchSize: 1, identityTokenProvider });
    client.setIdentity('user-1', jwt('user-1', 20)); // inside the 30 s margin
    client.track('a');
    client.track('b');
    const flushes = [client.flush(), client.flush()];
    await advance(0);
    expect(calls).toBe(1);
    expect(platform.transport.requests).toEqual([]);
    const fresh = jwt('user-1', 3600);
    resolve(fresh);
    await Promise.all(flushes);
    await advance(0);
    expect(calls).toBe(1);
    expect(platform.transport.requests.map((r) => r.headers['X-Identity-Token'])).toEqual([fresh, fresh]);
    expect(JSON.parse(platform.store.data.get('tessera:id')!).identityToken).toBe(fresh);
  });

  it('refreshes once after an “Expired” rejection and loses no event', async () => {
    const fresh = jwt('user-1', 3600);
    const identityTokenProvider = vi.fn(async () => fresh);
    const { client, platform, errors } = createTestClient({ flushAt: 3, identityTokenProvider });
    const stale = jwt('user-1', 3600); // the server disagrees with the client's clock
    client.setIdentity('user-1', stale);
    platform.transport.reply(expired);
    client.track('a');
    client.track('b');
    client.track('c');
    await advance(0);
    expect(identityTokenProvider).toHaveBeenCalledTimes(1);
    expect(platform.transport.requests.map((r) => r.headers['X-Identity-Token'])).toEqual([stale, fresh]);
    expect(platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([]);
  });

  it('gives up after repeated failures, reports once, and keeps the events until setIdentity', async () => {
    const identityTokenProvider = vi.fn(async (): Promise<string> => {
      throw new Error('session gone');
    });
    const { client, platform, errors } = createTestClient({ flushAt: 1, identityTokenProvider });
    client.setIdentity('user-1', jwt('user-1', -60));
    client.track('kept');
    await advance(10 * 60_000);
    expect(identityTokenProvider).toHaveBeenCalledTimes(3);
    expect(platform.transport.requests).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['TOKEN_REFRESH_FAILED']);
    expect((errors[0]!.cause as Error).message).toBe('session gone');
    expect(platform.store.queued()).toHaveLength(1);

    // A fresh token from the app resumes delivery.
    const fresh = jwt('user-1', 3600);
    client.setIdentity('user-1', fresh);
    await advance(0);
    expect(platform.transport.delivered).toEqual([expect.objectContaining({ event: 'kept' })]);
    expect(platform.transport.requests[0]!.headers['X-Identity-Token']).toBe(fresh);
  });

  it('gives up when the server keeps saying “Expired” to fresh tokens, instead of looping', async () => {
    const identityTokenProvider = vi.fn(async () => jwt('user-1', 3600));
    const { client, platform, errors } = createTestClient({ flushAt: 1, identityTokenProvider });
    platform.transport.fallback = expired;
    client.setIdentity('user-1', jwt('user-1', 3600));
    client.track('x');
    await advance(10 * 60_000);
    expect(platform.transport.requests.length).toBe(3);
    expect(identityTokenProvider).toHaveBeenCalledTimes(2);
    expect(errors.map((e) => e.code)).toEqual(['TOKEN_REFRESH_FAILED']);
  });

  it('without a provider, an expired token drops its batch and reports it', async () => {
    const { client, platform, errors } = createTestClient({ flushAt: 1 });
    platform.transport.reply(expired);
    client.setIdentity('user-1', jwt('user-1', 3600));
    client.track('x');
    await advance(0);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'UNAUTHORIZED',
        status: 401,
        dropped: 1,
        message: 'Incorrect Identity Token: Expired.',
      }),
    ]);
    expect(platform.store.queued()).toEqual([]);
  });
});

describe('several instances on one store (tabs)', () => {
  it('a live instance adopts the queue of one that died, and each event is sent once', async () => {
    const store = new MemoryStore();
    const alive = new Set<string>();
    const tabA = new FakeInstances('A', alive);
    const a = createTestClient({ flushAt: 100 }, createFakePlatform({ store, instances: tabA }));
    const b = createTestClient(
      { flushAt: 100 },
      createFakePlatform({ store, instances: new FakeInstances('B', alive) }),
    );
    a.platform.network.set(false);
    a.client.track('from A');
    b.client.track('from B');
    await advance(0);
    await b.client.flush(); // A is alive: B leaves its queue alone
    expect(b.platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual(['from B']);

    a.client.close();
    tabA.die();
    await b.client.flush();
    await b.client.flush();
    expect(b.platform.transport.delivered.map((i) => (i.type === 'track' ? i.event : ''))).toEqual([
      'from B',
      'from A',
    ]);
    expect(a.platform.transport.requests).toEqual([]);
    expect(store.queued()).toEqual([]);
  });
});

describe('page exit', () => {
  it('beacons the queue in chunks of at most 64 KB carrying the key and token in the body', async () => {
    const { client, platform } = createTestClient({ flushAt: 1000 });
    const token = jwt('user-1', 3600);
    platform.network.set(false); // nothing goes out before the page closes
    client.track('anonymous');
    client.setIdentity('user-1', token);
    for (let i = 0; i < 40; i++) client.track('big', { blob: 'x'.repeat(4000) });
    await advance(0);
    client.flushOnExit();
    const beacons = platform.transport.requests.filter((r) => r.beacon);
    expect(beacons.length).toBeGreaterThanOrEqual(3);
    for (const b of beacons) expect(Buffer.byteLength(JSON.stringify(b.body))).toBeLessThanOrEqual(64 * 1024);
    expect(beacons[0]!.body).toMatchObject({
      publicKey: 'pk_test',
      batch: [expect.objectContaining({ event: 'anonymous' })],
    });
    expect(beacons[0]!.body.identityToken).toBeUndefined();
    expect(beacons.slice(1).every((b) => b.body.identityToken === token)).toBe(true);
    expect(beacons.flatMap((b) => b.body.batch)).toHaveLength(41);
    expect(platform.store.queued()).toEqual([]);
  });

  it('keeps events whose beacon was refused, for the next start', async () => {
    const { client, platform } = createTestClient({ flushAt: 1000 });
    platform.transport.beaconAccepts = false;
    client.track('x');
    await advance(0);
    client.flushOnExit();
    expect(platform.store.queued()).toHaveLength(1);
  });
});
