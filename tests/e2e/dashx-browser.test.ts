// The published @dashx/browser 0.4.14, unchanged, in headless Chromium against a real server:
// visitor track → identify → setIdentity (token minted by the server) → track → reset → track.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountOf, gql, IDENTIFY } from '../../packages/server/test/helpers/graphql.ts';
import { startTestServer, type TestServer } from '../../packages/server/test/helpers/server.ts';
import { signJwt } from '../../packages/server/src/tokens/index.ts';
import { eventually, launchChromium, servePages } from '../helpers/chromium.ts';

// The package's exports map hides its self-contained UMD build; read the file directly.
const dashxUmd = readFileSync(new URL('../../node_modules/@dashx/browser/dist/index.umd.js', import.meta.url), 'utf8');

describe('@dashx/browser 0.4.14 in Chromium against Tessera', () => {
  let server: TestServer;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let browser: Browser;
  let page: Page;
  let graphqlUrl: string;

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${await server.listen()}/graphql`;
    pages = await servePages({
      '/': ['text/html', '<!doctype html><title>shop</title><script src="/dashx.js"></script>'],
      '/dashx.js': ['text/javascript', dashxUmd],
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(pages.url);
    await page.evaluate(
      ({ publicKey, baseUri }) => {
        const w = window as any;
        w.dashx = w['dashx-browser'].default({ publicKey, baseUri, realtimeBaseUri: 'ws://127.0.0.1:9' });
      },
      { publicKey: server.production.publicKey, baseUri: graphqlUrl },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await server?.close();
  });

  const anonymousUid = () => page.evaluate(() => (window as any).dashx.accountAnonymousUid as string);
  const visitorWith = (anon: string, events: number) =>
    eventually(async () => {
      const account = await accountOf(server, 'production', `anonymousUid=${anon}`);
      return account && account.events.length >= events ? account : undefined;
    });

  it('a visitor tracks and identifies, with the id the SDK stored', async () => {
    const anon = await anonymousUid();
    expect(anon).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('dashx-sdk')))!)).toMatchObject({
      accountAnonymousUid: anon,
    });

    await page.evaluate(() => (window as any).dashx.track('Product Viewed', { sku: 'tea-01' }));
    await page.evaluate(() => (window as any).dashx.identify({ email: 'visitor@example.com', firstName: 'Vi' }));

    const visitor = await visitorWith(anon, 1);
    expect(visitor).toMatchObject({ kind: 'VISITOR', email: 'visitor@example.com', firstName: 'Vi' });
    expect(visitor.events[0]).toMatchObject({
      name: 'Product Viewed',
      data: { sku: 'tea-01' },
      systemContext: expect.objectContaining({
        ipV4: '127.0.0.1',
        library: { name: '@dashx/browser', version: expect.any(String) },
      }),
    });
  });

  it('after login (setIdentity with a server-minted token) events go to the user, and the visitor joins it', async () => {
    const anon = await anonymousUid();
    // The app's backend creates the user and signs its token.
    await gql(server, IDENTIFY, { uid: 'shopper-1', lastName: 'Shopper' }, server.production);
    const token = signJwt({
      uid: 'shopper-1',
      secret: server.production.privateKey,
      expiresInSeconds: 600,
      audience: 'production',
    });

    await page.evaluate((t) => (window as any).dashx.setIdentity('shopper-1', t), token);
    await page.evaluate(() => (window as any).dashx.track('Checkout Started', { total: 12 }));

    const user = await eventually(async () => {
      const account = await accountOf(server, 'production', 'uid=shopper-1');
      return account?.events.length === 2 ? account : undefined;
    });
    expect(user.events.map((e: any) => [e.name, e.verified])).toEqual([
      ['Checkout Started', true],
      ['Product Viewed', true],
    ]);
    expect(user.visitors.map((v: any) => v.anonymousUid)).toEqual([anon]);
    expect(user).toMatchObject({ lastName: 'Shopper', email: 'visitor@example.com', firstName: 'Vi' });
  });

  it('reset() on logout starts a new visitor', async () => {
    const before = await anonymousUid();
    await page.evaluate(() => (window as any).dashx.reset());
    const after = await anonymousUid();
    expect(after).not.toBe(before);
    await page.evaluate(() => (window as any).dashx.track('Browsed After Logout'));

    const visitor = await visitorWith(after, 1);
    expect(visitor).toMatchObject({ kind: 'VISITOR', mergedIntoId: null });
    expect(visitor.events.map((e: any) => e.name)).toEqual(['Browsed After Logout']);
    const user = await accountOf(server, 'production', 'uid=shopper-1');
    expect(user.events.map((e: any) => e.name)).not.toContain('Browsed After Logout');
  });

  it('an expired token is refused with DashX message, which the SDK surfaces', async () => {
    const expired = signJwt({
      uid: 'shopper-1',
      secret: server.production.privateKey,
      expiresInSeconds: 1,
      nowSeconds: Math.floor(Date.now() / 1000) - 3600,
    });
    await page.evaluate((t) => (window as any).dashx.setIdentity('shopper-1', t), expired);
    const message = await page.evaluate(() =>
      (window as any).dashx.track('Too Late').then(
        () => 'resolved',
        (err: any) => err.graphQLErrors?.[0]?.message ?? String(err),
      ),
    );
    expect(message).toBe('Incorrect Identity Token: Expired.');
  });
});
