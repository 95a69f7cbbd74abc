// identify, track, flush and shutdown against a real server, seen back through getAccount and listEvents.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TesseraClient } from '../src/index.ts';
import { clientFor, debugLog, startServer, type ListeningServer } from './helpers.ts';

describe('@tessera/node round trips', () => {
  let target: ListeningServer;
  const clients: TesseraClient[] = [];
  const open = (options: Parameters<typeof clientFor>[1] = {}) => {
    const made = clientFor(target, options);
    clients.push(made.client);
    return made;
  };

  beforeAll(async () => {
    target = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown()));
  });
  afterAll(() => target.server.close());

  it('identify(uid, traits) stores standard and custom traits, and resolves once stored', async () => {
    const { client } = open();
    const result = await client.identify('ada', {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      plan: 'pro',
      seats: 3,
      flags: { beta: true },
    });
    expect(result).toEqual({ uid: 'ada', anonymousUid: undefined });
    const account = await client.getAccount('ada');
    expect(account).toMatchObject({
      kind: 'USER',
      uid: 'ada',
      verified: true,
      traits: {
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        plan: 'pro',
        seats: 3,
        flags: { beta: true },
      },
      visitors: [],
    });
    expect(account?.createdAt).toBeInstanceOf(Date);
    // Numbers are sent as strings, as @dashx/node does.
    await client.identify(42, { name: 'Forty Two' });
    expect((await client.getAccount('42'))?.traits).toEqual({ name: 'Forty Two' });
  });

  it('identify(traits) makes a visitor with a fresh anonymous uid each time', async () => {
    const { client } = open();
    const first = await client.identify({ email: 'visitor@example.com' });
    const second = await client.identify({});
    expect(first.uid).toBeUndefined();
    expect(first.anonymousUid).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.anonymousUid).not.toBe(first.anonymousUid);
    const visitors = await target.server.admin(
      'GET',
      `/environments/production/accounts?anonymousUid=${first.anonymousUid}`,
    );
    expect(visitors.body.items).toEqual([expect.objectContaining({ kind: 'VISITOR', email: 'visitor@example.com' })]);
  });

  it('identify(uid, { anonymousUid }) merges that visitor and its history into the user', async () => {
    const { client } = open();
    const { anonymousUid } = await client.identify({ name: 'Grace' });
    await client.identify('grace', { anonymousUid, email: 'grace@example.com' });
    const account = await client.getAccount('grace');
    expect(account?.traits).toEqual({ email: 'grace@example.com', name: 'Grace' });
    expect(account?.visitors).toEqual([
      expect.objectContaining({ anonymousUid, traits: { name: 'Grace' }, mergedAt: expect.any(Date) }),
    ]);
  });

  it('track() batches in the background; flush() delivers and says what happened', async () => {
    const log = debugLog();
    const { client } = open({ debug: log.write });
    client.track('Signed Up', 'turing', { plan: 'free' });
    client.track('Upgraded', 'turing', { plan: 'pro', price: { amount: 10, currency: 'EUR' } });
    // Nothing is sent yet: below flushAt (20) and within flushInterval (10 s).
    expect(log.lines.filter((l) => l.includes('/v1/batch'))).toEqual([]);
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 2, rejected: [], dropped: 0 });
    expect(log.lines.filter((l) => l.includes('/v1/batch'))).toEqual([
      expect.stringMatching(/POST \/v1\/batch \(2 events\) → 200 in \d+ ms/),
    ]);
    const page = await client.listEvents('turing');
    expect(page.nextBefore).toBeNull();
    expect(page.events.map((e) => [e.event, e.data])).toEqual([
      ['Upgraded', { plan: 'pro', price: { amount: 10, currency: 'EUR' } }],
      ['Signed Up', { plan: 'free' }],
    ]);
    expect(page.events[0]).toMatchObject({
      verified: true,
      anonymousUid: null,
      timestamp: expect.any(Date),
      context: { library: { name: '@tessera/node', version: expect.any(String) } },
    });
    expect(await client.flush()).toEqual({ kind: 'done', delivered: 0, rejected: [], dropped: 0 });
  });

  it('sends on its own once flushAt events wait, and after flushInterval', async () => {
    const log = debugLog();
    const { client } = open({ debug: log.write, flushAt: 3, flushInterval: 50 });
    const full = log.next(/POST \/v1\/batch \(3 events\) → 200/);
    for (const n of [1, 2, 3]) client.track('Clicked', 'hopper', { n });
    await full;
    const timed = log.next(/POST \/v1\/batch \(1 event\) → 200/);
    client.track('Clicked', 'hopper', { n: 4 });
    await timed;
    const { events } = await client.listEvents('hopper');
    expect(events.map((e) => e.data.n).sort()).toEqual([1, 2, 3, 4]);
  });

  it('keeps the timestamp of track() time, and takes a given timestamp and messageId', async () => {
    const { client } = open();
    const before = Date.now();
    client.track('Now', 'clock');
    client.track('Then', 'clock', {}, { timestamp: new Date('2025-01-02T03:04:05.000Z'), messageId: 'order-1-placed' });
    client.track('Then Again', 'clock', {}, { messageId: 'order-1-placed' });
    expect(await client.flush()).toMatchObject({ delivered: 3 });
    const { events } = await client.listEvents('clock');
    // The same messageId is stored once.
    expect(events.map((e) => e.event)).toEqual(['Now', 'Then']);
    expect(events[0]!.timestamp.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(events[1]!.messageId).toBe('order-1-placed');
    // The server corrects clock skew by (receivedAt - sentAt): here, a few ms of latency at most.
    expect(Math.abs(events[1]!.timestamp.getTime() - Date.parse('2025-01-02T03:04:05.000Z'))).toBeLessThan(1000);
  });

  it('pages through a timeline with limit and before', async () => {
    const { client } = open();
    for (let n = 0; n < 5; n++) {
      client.track('Step', 'pager', { n }, { timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)) });
    }
    await client.flush();
    const seen: number[] = [];
    let page = await client.listEvents('pager', { limit: 2 });
    seen.push(...page.events.map((e) => e.data.n as number));
    while (page.nextBefore) {
      page = await client.listEvents('pager', { limit: 2, before: page.nextBefore });
      seen.push(...page.events.map((e) => e.data.n as number));
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    const earlier = await client.listEvents('pager', { before: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)) });
    expect(earlier.events.map((e) => e.data.n)).toEqual([1, 0]);
    expect(await client.listEvents('nobody-here')).toEqual({ events: [], nextBefore: null });
    expect(await client.getAccount('nobody-here')).toBeNull();
  });

  it('shutdown() delivers what is queued, then refuses new calls', async () => {
    const { client, errors } = open();
    client.track('Last Words', 'lamport', { n: 1 });
    client.track('Last Words', 'lamport', { n: 2 });
    expect(await client.shutdown()).toEqual({ kind: 'done', delivered: 2, rejected: [], dropped: 0, timedOut: false });
    // Idempotent.
    expect(await client.shutdown()).toMatchObject({ timedOut: false });
    client.track('Too Late', 'lamport');
    expect(errors).toEqual([
      { error: expect.objectContaining({ code: 'SHUT_DOWN' }), messageIds: [expect.any(String)] },
    ]);
    await expect(client.identify('lamport')).rejects.toMatchObject({ code: 'SHUT_DOWN' });

    const { client: reader } = open();
    const { events } = await reader.listEvents('lamport');
    expect(events.map((e) => e.data.n).sort()).toEqual([1, 2]);
  });

  it('reports events the server refuses, and never resends them', async () => {
    const log = debugLog();
    const { client, errors } = open({ debug: log.write });
    client.track('Fine', 'refusals');
    client.track('Bad Id', 'null'); // a placeholder id that SDK bugs produce: refused by the server
    const result = await client.flush();
    expect(result).toMatchObject({
      delivered: 1,
      rejected: [{ event: 'Bad Id', code: 'INVALID_INPUT', message: expect.stringContaining('not a valid id') }],
      dropped: 0,
    });
    expect(errors).toEqual([
      {
        error: expect.objectContaining({ code: 'INVALID_INPUT', dropped: 1 }),
        messageIds: [result.rejected[0]!.messageId],
      },
    ]);
    expect(log.lines.filter((l) => l.includes('/v1/batch'))).toHaveLength(1);
    expect((await client.listEvents('refusals')).events.map((e) => e.event)).toEqual(['Fine']);
  });

  it('identify() rejects with the server error, unretried, for bad input', async () => {
    const log = debugLog();
    const { client } = open({ debug: log.write });
    await expect(client.identify('undefined', { email: 'x@example.com' })).rejects.toMatchObject({
      name: 'TesseraError',
      code: 'INVALID_INPUT',
      status: 400,
    });
    expect(log.lines.filter((l) => l.includes('/v1/identify'))).toEqual([
      expect.stringMatching(/POST \/v1\/identify → 400 INVALID_INPUT/),
    ]);
  });

  it('rejects wrong keys with UNAUTHORIZED', async () => {
    const { client } = open({ privateKey: target.server.staging.privateKey });
    await expect(client.identify('someone')).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });
});
