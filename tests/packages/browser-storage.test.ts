// The browser SDK's storage options in Chromium, bundled from its tarball: `memory` keeps nothing,
// `cookie` carries the visitor through a reload with localStorage blocked, `cookieDomain` spans subdomains.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePages } from '../helpers/chromium.ts';
import { eventNames, storedAccount } from './helpers/accounts.ts';
import { appPage, bundleBrowserApp, client } from './helpers/browser-app.ts';
import { createProject, type Project } from './helpers/project.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';

/** What Chromium throws when site data is blocked, made to happen with an init script. */
const blockLocalStorage = () => {
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException(
        "Failed to read the 'localStorage' property from 'Window': Access is denied for this document.",
        'SecurityError',
      );
    },
  });
};

describe('@tessera/browser storage options in Chromium', () => {
  let app: Project;
  let serverProject: Project;
  let server: ServerProcess;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let port: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [app, serverProject] = await Promise.all([
      createProject(['@tessera/protocol', '@tessera/sdk-core', '@tessera/browser']),
      createProject(['@tessera/server']),
    ]);
    server = await startServer(serverProject.dir);
    const { publicKey } = await server.createEnvironment('storage');
    const options = { publicKey, baseUri: server.url };
    pages = await servePages({
      '/app.js': ['text/javascript; charset=utf-8', (await bundleBrowserApp(app)).js],
      '/memory': appPage({ ...options, persistence: 'memory' }),
      '/cookie': appPage({ ...options, persistence: 'cookie' }),
      '/localStorage': appPage({ ...options, persistence: 'localStorage' }),
      '/shared': appPage({ ...options, cookieDomain: '.tessera.test' }),
      '/host-only': appPage(options),
    });
    port = new URL(pages.url).port;
    // a.tessera.test and b.tessera.test are this machine, for the cookieDomain test.
    browser = await launchChromium(['--host-resolver-rules=MAP *.tessera.test 127.0.0.1']);
  });
  afterEach(async () => {
    await context?.close();
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await server?.stop();
    app?.remove();
    serverProject?.remove();
  });

  const open = async (url: string, init?: () => void) => {
    context = await browser.newContext();
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    await page.goto(url);
    return { page, tessera: client(page) };
  };

  it("persistence 'memory' writes nothing: no localStorage, no sessionStorage, no cookie", async () => {
    const { page, tessera } = await open(`${pages.url}/memory`);
    const visitor = await tessera.anonymousUid();
    await tessera.identify({ email: 'memory@example.com' });
    await tessera.track('Viewed Pricing');
    await tessera.flush();
    // It did run: the server has the visitor and its event.
    const stored = await storedAccount(server, 'storage', `anonymousUid=${visitor}`, (a) => a.events.length >= 1);
    expect(stored).toMatchObject({ kind: 'VISITOR', email: 'memory@example.com' });

    const written = () =>
      page.evaluate(() => ({
        localStorage: Object.keys(localStorage),
        sessionStorage: Object.keys(sessionStorage),
        cookie: document.cookie,
      }));
    expect(await written()).toEqual({ localStorage: [], sessionStorage: [], cookie: '' });
    expect(await context.cookies()).toEqual([]);
    // Nothing to come back to: a reload is a new visitor.
    await page.reload();
    expect(await tessera.anonymousUid()).not.toBe(visitor);
    expect(await written()).toEqual({ localStorage: [], sessionStorage: [], cookie: '' });
    expect(await tessera.errors()).toEqual([]);
  });

  for (const persistence of ['cookie', 'localStorage'] as const) {
    it(`persistence '${persistence}' with localStorage blocked: the visitor survives a reload in its cookie`, async () => {
      const { page, tessera } = await open(`${pages.url}/${persistence}`, blockLocalStorage);
      expect(
        await page.evaluate(() => {
          try {
            return typeof window.localStorage;
          } catch (err) {
            return (err as Error).name;
          }
        }),
        'the init script blocks localStorage',
      ).toBe('SecurityError');
      const visitor = await tessera.anonymousUid();
      await tessera.identify({ email: `${persistence}@example.com` });
      await tessera.track('Viewed Pricing');
      await tessera.flush();

      const cookie = (await context.cookies()).find((c) => c.name === 'tessera_id');
      expect(JSON.parse(decodeURIComponent(cookie?.value ?? 'null'))).toMatchObject({ accountAnonymousUid: visitor });
      await page.reload();
      expect(await tessera.anonymousUid()).toBe(visitor);
      await tessera.track('Came Back');
      await tessera.flush();
      const stored = await storedAccount(server, 'storage', `anonymousUid=${visitor}`, (a) => a.events.length >= 2);
      expect(stored).toMatchObject({ kind: 'VISITOR', email: `${persistence}@example.com` });
      expect(eventNames(stored)).toEqual(['Viewed Pricing', 'Came Back']);
      expect(await tessera.errors()).toEqual([]);
    });
  }

  it("cookieDomain '.tessera.test': a.tessera.test and b.tessera.test share one visitor", async () => {
    const { page, tessera } = await open(`http://a.tessera.test:${port}/shared`);
    const onA = await tessera.anonymousUid();
    await tessera.track('Viewed A');
    await tessera.flush();
    await page.goto(`http://b.tessera.test:${port}/shared`);
    expect(await tessera.anonymousUid()).toBe(onA);
    await tessera.track('Viewed B');
    await tessera.flush();

    const cookies = (await context.cookies()).filter((c) => c.name === 'tessera_id');
    expect(cookies.map((c) => c.domain)).toEqual(['.tessera.test']);
    const stored = await storedAccount(server, 'storage', `anonymousUid=${onA}`, (a) => a.events.length >= 2);
    expect(eventNames(stored)).toEqual(['Viewed A', 'Viewed B']);
    expect(await tessera.errors()).toEqual([]);
  });

  it('without cookieDomain each subdomain has its own visitor', async () => {
    const { page, tessera } = await open(`http://a.tessera.test:${port}/host-only`);
    const onA = await tessera.anonymousUid();
    await page.goto(`http://b.tessera.test:${port}/host-only`);
    const onB = await tessera.anonymousUid();
    expect(onB).not.toBe(onA);
    const cookies = (await context.cookies()).filter((c) => c.name === 'tessera_id');
    expect(cookies.map((c) => c.domain).sort()).toEqual(['a.tessera.test', 'b.tessera.test']);
  });
});
