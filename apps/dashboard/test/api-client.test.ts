// The dashboard's API client: cookies + CSRF header, error answers, 401 and network failures.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../src/api/client.ts';
import { fakeFetch } from './fake-fetch.ts';

describe('createApi', () => {
  it('sends the CSRF token it got at sign-in on every change, never on reads', async () => {
    const fake = fakeFetch(
      (c) =>
        c.url === '/admin/api/session' && c.method === 'POST'
          ? { body: { operator: { id: '1', email: 'a@b.c' }, csrfToken: 'tok' } }
          : undefined,
      (c) =>
        c.url === '/admin/api/environments'
          ? { status: c.method === 'POST' ? 201 : 200, body: { environments: [] } }
          : undefined,
      (c) => (c.method === 'DELETE' ? { status: 204 } : undefined),
    );
    const api = createApi({ fetch: fake.fetch });
    await api.signIn('a@b.c', 'password-123');
    await api.environments();
    await api.createEnvironment({ name: 'qa', identityVerification: 'required', allowLegacyTokens: false });
    await api.signOut();
    const [signIn, list, create, signOut] = fake.calls;
    expect(signIn?.body).toEqual({ email: 'a@b.c', password: 'password-123' });
    expect(signIn?.headers['x-tessera-csrf']).toBeUndefined();
    expect(list?.headers['x-tessera-csrf']).toBeUndefined();
    expect(create?.headers['x-tessera-csrf']).toBe('tok');
    expect(signOut?.headers['x-tessera-csrf']).toBe('tok');
  });

  it('reveals keys with a POST that carries the CSRF token', async () => {
    const fake = fakeFetch(
      (c) => (c.url === '/admin/api/session' ? { body: { operator: null, csrfToken: 'tok' } } : undefined),
      (c) =>
        c.url === '/admin/api/environments/live%2Fqa/key-pairs/reveal' && c.method === 'POST'
          ? { body: { environment: 'live/qa', keyPairs: [{ publicKey: 'pk_1', privateKey: 'sk_1' }] } }
          : undefined,
    );
    const api = createApi({ fetch: fake.fetch });
    await api.session();
    const revealed = await api.revealKeyPairs('live/qa');
    expect(revealed.keyPairs[0]?.privateKey).toBe('sk_1');
    expect(fake.calls[1]?.headers['x-tessera-csrf']).toBe('tok');
  });

  it('turns error answers into ApiError with code, message and Retry-After', async () => {
    const fake = fakeFetch(() => ({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'Too many failed sign-ins. Try again in 30 seconds.' } },
      headers: { 'retry-after': '30' },
    }));
    const error = await createApi({ fetch: fake.fetch })
      .signIn('a@b.c', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfter: 30,
      message: expect.stringMatching(/Try again/),
    });
  });

  it('reports a lost session (401) to the app, but not a failed sign-in', async () => {
    const onUnauthorized = vi.fn();
    const fake = fakeFetch(() => ({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Sign in' } } }));
    const api = createApi({ fetch: fake.fetch, onUnauthorized });
    await expect(api.signIn('a@b.c', 'wrong-password')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
    await expect(api.people('production', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('says what to do when the server cannot be reached', async () => {
    const fake = fakeFetch(() => new TypeError('Failed to fetch'));
    await expect(createApi({ fetch: fake.fetch }).environments()).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringMatching(/cannot be reached/),
    });
  });

  it('puts filters in the query string, leaving out empty ones', async () => {
    const fake = fakeFetch(() => ({ body: { items: [], nextCursor: null } }));
    await createApi({ fetch: fake.fetch }).people('prod env', {
      q: 'ada',
      kind: 'USER',
      verified: false,
      cursor: 'c1',
      limit: 50,
    });
    expect(fake.calls[0]?.url).toBe(
      '/admin/api/environments/prod%20env/accounts?q=ada&kind=USER&verified=false&cursor=c1&limit=50',
    );
  });
});
