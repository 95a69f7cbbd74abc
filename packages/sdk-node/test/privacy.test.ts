// exportAccount and deleteAccount against a real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TesseraClient } from '../src/index.ts';
import { clientFor, startServer, type ListeningServer } from './helpers.ts';

describe('@tessera/node export and delete', () => {
  let target: ListeningServer;
  let tessera: TesseraClient;
  const extra: TesseraClient[] = [];

  beforeAll(async () => {
    target = await startServer();
    tessera = clientFor(target).client;
  });
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((c) => c.shutdown()));
  });
  afterAll(async () => {
    await tessera.shutdown();
    await target.server.close();
  });

  /** A person who browsed as a visitor, signed up, and did things. */
  const seed = async (uid: string) => {
    const { anonymousUid } = await tessera.identify({ referrer: 'newsletter' });
    await tessera.identify(uid, { anonymousUid, email: `${uid}@example.com`, firstName: 'Mary', plan: 'team' });
    tessera.track('Created Project', uid, { name: 'Analytical Engine' });
    tessera.track('Invited Teammate', uid, { count: 2 });
    expect(await tessera.flush()).toMatchObject({ delivered: 2, dropped: 0 });
    return anonymousUid!;
  };

  it('exportAccount() returns everything stored about the person, as JSON', async () => {
    const anonymousUid = await seed('mary');
    const exported = await tessera.exportAccount('mary');
    expect(exported).toMatchObject({
      format: 'tessera.account-export.v1',
      environment: 'production',
      account: {
        kind: 'USER',
        uid: 'mary',
        email: 'mary@example.com',
        firstName: 'Mary',
        custom: { plan: 'team', referrer: 'newsletter' },
      },
      visitors: [{ kind: 'VISITOR', anonymousUid, custom: { referrer: 'newsletter' } }],
      merges: [{ status: 'merged' }],
    });
    expect(exported!.events.map((e) => [e.name, e.data])).toEqual([
      ['Created Project', { name: 'Analytical Engine' }],
      ['Invited Teammate', { count: 2 }],
    ]);
    // Plain JSON: times are strings, and it survives a round trip through a file unchanged.
    expect(typeof exported!.exportedAt).toBe('string');
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect(await tessera.exportAccount('nobody')).toBeNull();
  });

  it('deleteAccount() removes the account, its visitors and events; the uid then starts fresh', async () => {
    const anonymousUid = await seed('charles');
    await seed('bystander');

    expect(await tessera.deleteAccount('charles')).toEqual({ uid: 'charles', deleted: true, accounts: 2, events: 2 });
    expect(await tessera.getAccount('charles')).toBeNull();
    expect(await tessera.exportAccount('charles')).toBeNull();
    expect(await tessera.listEvents('charles')).toEqual({ events: [], nextBefore: null });
    const visitor = await target.server.admin('GET', `/environments/production/accounts?anonymousUid=${anonymousUid}`);
    expect(visitor.body.items).toEqual([]);
    expect(await tessera.deleteAccount('charles')).toEqual({ uid: 'charles', deleted: false, accounts: 0, events: 0 });

    // Others are untouched.
    expect((await tessera.listEvents('bystander')).events).toHaveLength(2);

    // The same uid comes back as a new, empty account.
    await tessera.identify('charles', { firstName: 'Charles' });
    tessera.track('Returned', 'charles');
    await tessera.flush();
    const again = await tessera.getAccount('charles');
    expect(again).toMatchObject({ traits: { firstName: 'Charles' }, visitors: [] });
    expect((await tessera.listEvents('charles')).events.map((e) => e.event)).toEqual(['Returned']);
  });

  it('needs the private key', async () => {
    const publicOnly = createClient(
      { baseUri: target.url, publicKey: target.server.production.publicKey },
      { env: {} },
    );
    extra.push(publicOnly);
    for (const call of [
      () => publicOnly.getAccount('mary'),
      () => publicOnly.listEvents('mary'),
      () => publicOnly.exportAccount('mary'),
      () => publicOnly.deleteAccount('mary'),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'CONFIGURATION',
        message: expect.stringContaining('private key'),
      });
    }
  });

  it('validates uids and options before sending', async () => {
    await expect(tessera.getAccount('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tessera.deleteAccount({} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tessera.listEvents('mary', { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tessera.listEvents('mary', { before: new Date('nope') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
