// The guide's identity flows in real headless Chromium against a real server: visitor, signup/login
// with setIdentity, token refresh, logout with reset.
import { beforeAll, describe, expect, it } from 'vitest';
import { account, accountWithEvents, eventually, type BrowserEnv } from './helpers/env.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Registers the tests; `browser.test.ts` runs them on one server and one Chromium. */
export function identityFlows(environment: () => BrowserEnv): void {
  describe('@tessera/browser identity, in Chromium', () => {
    let env: BrowserEnv;
    beforeAll(() => {
      env = environment();
    });

    it('mints a visitor id on the first visit, stores it in localStorage and a cookie, and keeps it on reload', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl());
      const anon = await page.evaluate(() => window.tessera.anonymousUid);
      expect(anon).toMatch(UUID_V4);
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('tessera:id') ?? 'null'));
      expect(stored).toEqual({ accountAnonymousUid: anon, accountUid: null, identityToken: null });
      const cookie = (await context.cookies()).find((c) => c.name === 'tessera_id');
      expect(JSON.parse(decodeURIComponent(cookie!.value))).toEqual(stored);

      await page.reload();
      expect(await page.evaluate(() => window.tessera.anonymousUid)).toBe(anon);

      // The cookie alone restores the visitor (localStorage cleared), and is copied back.
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      expect(await page.evaluate(() => window.tessera.anonymousUid)).toBe(anon);
      expect(await page.evaluate(() => localStorage.getItem('tessera:id'))).toContain(anon);
      await context.close();
    });

    it('identify and track of a visitor reach the server, visible through the admin API', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl());
      const anon = await page.evaluate(() => {
        window.tessera.identify({ email: 'visitor@example.com', name: 'Vee', plan: 'trial' });
        window.tessera.track('Viewed Pricing', { plan: 'pro' });
        return window.tessera.anonymousUid;
      });
      const visitor = await accountWithEvents(env, `anonymousUid=${anon}`, 1);
      expect(visitor).toMatchObject({
        kind: 'VISITOR',
        anonymousUid: anon,
        email: 'visitor@example.com',
        name: 'Vee',
        custom: { plan: 'trial' },
      });
      expect(visitor.events).toEqual([
        expect.objectContaining({ name: 'Viewed Pricing', data: { plan: 'pro' }, verified: true }),
      ]);
      expect(visitor.events[0]!.systemContext).toMatchObject({
        library: { name: '@tessera/browser' },
        page: { url: expect.stringContaining(env.pageOrigin) },
      });
      expect(await page.evaluate(() => window.errors)).toEqual([]);
      await context.close();
    });

    it('after login, setIdentity puts events on the user and merges the visitor into it; it survives reloads', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl());
      const anon = await page.evaluate(() => {
        window.tessera.track('Browsed');
        return window.tessera.anonymousUid;
      });
      await accountWithEvents(env, `anonymousUid=${anon}`, 1);

      // The guide's backend created the user and signed a token at login.
      const token = env.token('user-login');
      await page.evaluate((t) => {
        window.tessera.setIdentity('user-login', t);
        window.tessera.identify({ email: 'login@example.com' });
        window.tessera.track('Logged In');
      }, token);
      const user = await accountWithEvents(env, 'uid=user-login', 2);
      expect(user).toMatchObject({ kind: 'USER', uid: 'user-login', email: 'login@example.com' });
      expect(user.visitors.map((v) => v.anonymousUid)).toEqual([anon]);
      expect(user.events.map((e) => e.name).sort()).toEqual(['Browsed', 'Logged In']);

      await page.reload();
      expect(await page.evaluate(() => [window.tessera.uid, window.tessera.anonymousUid])).toEqual([
        'user-login',
        anon,
      ]);
      await page.evaluate(() => window.tessera.track('After Reload'));
      await accountWithEvents(env, 'uid=user-login', 3);
      await context.close();
    });

    it('refreshes an expired token through identityTokenProvider before sending, and loses no event', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.exposeFunction('provideToken', () => env.token('user-refresh'));
      await page.goto(env.pageUrl({ provider: true, flushAt: 3 }));
      await page.evaluate(
        (t) => {
          window.tessera.setIdentity('user-refresh', t);
          for (const n of ['one', 'two', 'three']) window.tessera.track(n);
        },
        env.token('user-refresh', -600),
      );
      const user = await accountWithEvents(env, 'uid=user-refresh', 3);
      expect(user.events.map((e) => e.name).sort()).toEqual(['one', 'three', 'two']);
      expect(await page.evaluate(() => [window.tokenRequests, window.errors])).toEqual([1, []]);
      await context.close();
    });

    it('refreshes once after the server answers “Incorrect Identity Token: Expired.”, then resends', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      // The page's clock runs two hours late, so it believes the token is still good; the server does not.
      await page.clock.setFixedTime(new Date(Date.now() - 2 * 3600_000));
      await page.exposeFunction('provideToken', () => env.token('user-expired'));
      const responses: number[] = [];
      page.on(
        'response',
        (r) => r.url().endsWith('/v1/batch') && r.request().method() === 'POST' && responses.push(r.status()),
      );
      await page.goto(env.pageUrl({ provider: true, flushAt: 2 }));
      await page.evaluate(
        (t) => {
          window.tessera.setIdentity('user-expired', t);
          window.tessera.track('a');
          window.tessera.track('b');
        },
        env.token('user-expired', -600),
      );
      const user = await accountWithEvents(env, 'uid=user-expired', 2);
      expect(user.events).toHaveLength(2);
      await eventually(async () => responses.length >= 2);
      expect(responses).toEqual([401, 200]);
      expect(await page.evaluate(() => window.tokenRequests)).toBe(1);
      await context.close();
    });

    it('logout with reset starts a new visitor; nothing of the user stays', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl());
      const before = await page.evaluate((t) => {
        window.tessera.setIdentity('user-reset', t);
        window.tessera.track('Last Click');
        return window.tessera.anonymousUid;
      }, env.token('user-reset'));
      const after = await page.evaluate(() => {
        window.tessera.reset();
        window.tessera.track('Anonymous Again');
        return window.tessera.anonymousUid;
      });
      expect(after).toMatch(UUID_V4);
      expect(after).not.toBe(before);
      expect(await page.evaluate(() => [window.tessera.uid, JSON.parse(localStorage.getItem('tessera:id')!)])).toEqual([
        null,
        { accountAnonymousUid: after, accountUid: null, identityToken: null },
      ]);
      const visitor = await accountWithEvents(env, `anonymousUid=${after}`, 1);
      expect(visitor).toMatchObject({ kind: 'VISITOR', uid: null });
      expect(visitor.events.map((e) => e.name)).toEqual(['Anonymous Again']);
      const user = await accountWithEvents(env, 'uid=user-reset', 1);
      expect(user.events.map((e) => e.name)).toEqual(['Last Click']);
      await context.close();
    });

    it('opted out: nothing is stored or sent', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      let batches = 0;
      page.on('request', (r) => r.url().endsWith('/v1/batch') && batches++);
      await page.goto(env.pageUrl({ optedOut: true, flushAt: 1 }));
      const anon = await page.evaluate(async () => {
        window.tessera.track('Hidden');
        await window.tessera.flush();
        return window.tessera.anonymousUid;
      });
      expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
      expect(await context.cookies()).toEqual([]);
      expect(batches).toBe(0);
      expect(await account(env, `anonymousUid=${anon}`)).toBeUndefined();
      await context.close();
    });
  });
}
