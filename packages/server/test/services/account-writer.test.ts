import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountWriter } from '../../src/services/account-writer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('AccountWriter (group commit of account upserts)', () => {
  let server: TestServer;
  let writer: AccountWriter;
  let environmentId: string;
  beforeAll(async () => {
    server = await startTestServer();
    writer = new AccountWriter(server.db);
    environmentId = (await server.services.environments.get('production')).id;
  });
  afterAll(() => server.close());

  it('combines writes to one account in arrival order within a flush', async () => {
    const key = { kind: 'USER' as const, uid: 'combined' };
    const [a, b, c] = await Promise.all([
      writer.upsert({
        environmentId,
        key,
        traits: { standard: { name: 'First', email: 'e@x.com' }, custom: { plan: 'free' } },
        verified: true,
      }),
      writer.upsert({
        environmentId,
        key,
        traits: { standard: { name: 'Second' }, custom: { seats: 3 } },
        verified: false,
      }),
      writer.upsert({
        environmentId,
        key,
        traits: { standard: { phone: '+1' }, custom: { plan: 'pro' } },
        verified: true,
      }),
    ]);
    expect(a.id).toBe(b.id);
    expect(b.id).toBe(c.id);
    expect(c).toMatchObject({
      name: 'Second',
      email: 'e@x.com',
      phone: '+1',
      custom: { plan: 'pro', seats: 3 },
      verified: true,
      unverifiedTraits: expect.arrayContaining(['name', 'seats']),
    });
    expect(c.unverifiedTraits).toHaveLength(2);
  });

  it('creates many accounts of both kinds in one flush and answers each with its own id', async () => {
    const writes = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? writer.ensure(environmentId, { kind: 'USER', uid: `bulk-${i}` }, true)
        : writer.ensure(environmentId, { kind: 'VISITOR', anonymousUid: `bulk-anon-${i}` }, true),
    );
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(50);
    const rows = await server.db.query<{ id: string; uid: string | null; anonymous_uid: string | null }>(
      `SELECT id, uid, anonymous_uid FROM accounts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const [i, id] of ids.entries()) {
      const row = rows.find((r) => r.id === id)!;
      expect(i % 2 === 0 ? row.uid : row.anonymous_uid).toBe(i % 2 === 0 ? `bulk-${i}` : `bulk-anon-${i}`);
    }
    // Again: the same ids, no new rows.
    expect(await writer.ensure(environmentId, { kind: 'USER', uid: 'bulk-0' }, true)).toBe(ids[0]);
  });
});
