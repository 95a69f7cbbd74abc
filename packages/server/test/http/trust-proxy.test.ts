// Behind a reverse proxy: which client address the server believes (events' ipV4 "NA", sign-in
// throttling) and when the session cookie is Secure, for each TESSERA_TRUST_PROXY.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK, accountOf } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Tracks an event with ipV4 "NA" as a browser would, from `peer`; returns the ipV4 stored. */
async function trackedIp(server: TestServer, peer: string, forwardedFor?: string): Promise<string> {
  const anon = randomUUID();
  const res = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: peer,
    headers: {
      'content-type': 'application/json',
      'x-public-key': server.production.publicKey,
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    payload: JSON.stringify({
      query: TRACK,
      variables: { input: { event: 'Page Viewed', accountAnonymousUid: anon, systemContext: { ipV4: 'NA' } } },
    }),
  });
  expect(res.json()).toEqual({ data: { trackEvent: { success: true } } });
  const account = await accountOf(server, 'production', `anonymousUid=${anon}`);
  return account?.events[0]?.systemContext.ipV4;
}

const signIn = (server: TestServer, peer: string, forwardedFor: string, email: string, password: string) =>
  server.app.inject({
    method: 'POST',
    url: '/admin/api/session',
    remoteAddress: peer,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https' },
    payload: JSON.stringify({ email, password }),
  });

describe('without TESSERA_TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For: the peer is the client', async () => {
    expect(await trackedIp(server, '203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(await trackedIp(server, '10.0.0.2', '198.51.100.1, 10.0.0.3')).toBe('10.0.0.2');
  });
});

describe('TESSERA_TRUST_PROXY as addresses and CIDRs', () => {
  let server: TestServer;
  const EMAIL = 'ops@example.com';
  const PASSWORD = 'correct horse battery';
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: '10.0.0.0/8, 192.0.2.1' });
    await server.services.operators.setup(EMAIL, PASSWORD);
  });
  afterAll(() => server.close());

  it('takes the right-most address that is not a trusted proxy', async () => {
    expect(await trackedIp(server, '10.1.2.3', '203.0.113.9')).toBe('203.0.113.9');
    // A client's own (spoofed) X-Forwarded-For entries left of the real one are never believed.
    expect(await trackedIp(server, '10.1.2.3', '1.2.3.4, 203.0.113.9')).toBe('203.0.113.9');
    // Two trusted proxies in a row: the chain is walked past both.
    expect(await trackedIp(server, '192.0.2.1', '203.0.113.9, 10.20.30.40')).toBe('203.0.113.9');
    // No header: the proxy itself is the client.
    expect(await trackedIp(server, '10.1.2.3')).toBe('10.1.2.3');
  });

  it('ignores X-Forwarded-For from a peer that is not listed', async () => {
    expect(await trackedIp(server, '203.0.113.50', '198.51.100.1')).toBe('203.0.113.50');
    expect(await trackedIp(server, '192.0.2.2', '198.51.100.1')).toBe('192.0.2.2');
  });

  it('marks the cookie Secure only when a trusted proxy says https', async () => {
    const viaProxy = await signIn(server, '10.0.0.5', '203.0.113.20', EMAIL, PASSWORD);
    expect(viaProxy.statusCode).toBe(200);
    expect(String(viaProxy.headers['set-cookie'])).toContain('; Secure');
    const direct = await signIn(server, '203.0.113.21', '203.0.113.21', EMAIL, PASSWORD);
    expect(direct.statusCode).toBe(200);
    expect(String(direct.headers['set-cookie'])).not.toContain('Secure');
  });

  it('throttles sign-ins per real client: one client locked out does not lock out another', async () => {
    // 20 failures from one address lock that address (whatever the email).
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signIn(server, '10.0.0.5', '198.51.100.66', `guess-${i}@example.com`, 'wrong password'),
      ),
    );
    expect(guesses.map((res) => res.statusCode)).toEqual(Array(20).fill(401));
    const locked = await signIn(server, '10.0.0.5', '198.51.100.66', EMAIL, PASSWORD);
    expect(locked.statusCode).toBe(429);
    // The same proxy, another client: not locked.
    const other = await signIn(server, '10.0.0.5', '198.51.100.77', EMAIL, PASSWORD);
    expect(other.statusCode).toBe(200);
    // A direct peer cannot escape its lock by claiming another address.
    const spoofed = await server.app.inject({
      method: 'POST',
      url: '/admin/api/session',
      remoteAddress: '198.51.100.66',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.99' },
      payload: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(spoofed.statusCode).toBe(429);
  }, 90_000);
});

describe('TESSERA_TRUST_PROXY as a hop count', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: '2' });
  });
  afterAll(() => server.close());

  it('trusts exactly that many hops, whoever they are', async () => {
    // Peer (hop 1) and 10.0.0.9 (hop 2) are the proxies; the address before them is the client.
    expect(await trackedIp(server, '10.0.0.1', '1.1.1.1, 203.0.113.9, 10.0.0.9')).toBe('203.0.113.9');
    expect(await trackedIp(server, '10.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await trackedIp(server, '10.0.0.1')).toBe('10.0.0.1');
  });
});
