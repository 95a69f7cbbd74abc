// The guide in Chromium with @tessera/browser bundled from its tarball by esbuild, the token minted by
// @tessera/node from the same install, against `tessera serve` installed alone; checked via the admin API.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePages } from '../helpers/chromium.ts';
import { eventNames, storedAccount } from './helpers/accounts.ts';
import { appPage, bundleBrowserApp, client } from './helpers/browser-app.ts';
import { createProject, fixture, type Project } from './helpers/project.ts';
import { startServer, type Keys, type ServerProcess } from './helpers/server.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the guide with the packed browser and Node SDKs', () => {
  let app: Project;
  let serverProject: Project;
  let server: ServerProcess;
  let keys: Keys;
  let bundle: { js: string; inputs: string[] };
  let pages: Awaited<ReturnType<typeof servePages>>;
  let browser: Browser;
  let page: Page;
  let tessera: ReturnType<typeof client>;

  beforeAll(async () => {
    [app, serverProject] = await Promise.all([
      createProject(['@tessera/protocol', '@tessera/sdk-core', '@tessera/browser', '@tessera/node']),
      createProject(['@tessera/server']),
    ]);
    server = await startServer(serverProject.dir);
    keys = await server.createEnvironment('web');
    app.write('backend-flow.mjs', fixture('backend-flow.mjs'));
    bundle = await bundleBrowserApp(app);
    pages = await servePages({
      '/': appPage({ publicKey: keys.publicKey, baseUri: server.url }),
      '/app.js': ['text/javascript; charset=utf-8', bundle.js],
    });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
    tessera = client(page);
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await server?.stop();
    app?.remove();
    serverProject?.remove();
  });

  it("the page's bundle is made of the installed package's ES module build", () => {
    // sdk-core is bundled into @tessera/browser's build (its dependency is there for the types).
    expect(bundle.inputs).toEqual(['node_modules/@tessera/browser/dist/esm/index.js', 'src/app.js']);
  });

  let visitor: string;
  const uid = 'user-ada';

  it('a visitor arrives: an anonymous id, its event and its email', async () => {
    await page.goto(pages.url);
    visitor = await tessera.anonymousUid();
    expect(visitor).toMatch(UUID_V4);
    await tessera.track('Viewed Pricing', { plan: 'pro' });
    await tessera.identify({ email: 'ada.news@example.com' });
    await tessera.flush();
    const stored = await storedAccount(
      server,
      'web',
      `anonymousUid=${visitor}`,
      (a) => a.email === 'ada.news@example.com' && a.events.length >= 1,
    );
    expect(stored).toMatchObject({ kind: 'VISITOR', uid: null });
    expect(eventNames(stored)).toEqual(['Viewed Pricing']);
    expect(stored.events[0]).toMatchObject({
      data: { plan: 'pro' },
      systemContext: { library: { name: '@tessera/browser' }, page: { url: `${pages.url}/` } },
    });
    expect(await tessera.errors()).toEqual([]);
  });

  it("login: the backend's user and token; setIdentity merges the visitor into the user", async () => {
    const { stdout } = await app.exec(process.execPath, ['backend-flow.mjs', 'import', uid, 'ada@example.com'], {
      TESSERA_BASE_URI: server.url,
      TESSERA_PUBLIC_KEY: keys.publicKey,
      TESSERA_PRIVATE_KEY: keys.privateKey,
    });
    const { token } = JSON.parse(stdout);
    await tessera.setIdentity(uid, token);
    await tessera.track('Logged In');
    await tessera.flush();
    expect(await tessera.uid()).toBe(uid);
    expect(await tessera.anonymousUid()).toBe(visitor);

    const user = await storedAccount(
      server,
      'web',
      `uid=${uid}`,
      (a) => a.visitors.length > 0 && eventNames(a).includes('Logged In'),
    );
    expect(user).toMatchObject({ kind: 'USER', email: 'ada@example.com', verified: true });
    expect(user.visitors.map((v) => v.anonymousUid)).toEqual([visitor]);
    // The user's timeline holds the visitor's earlier event (recorded by the visitor) and its own.
    expect(eventNames(user)).toEqual(['Viewed Pricing', 'Order Placed', 'Logged In']);
    const byName = Object.fromEntries(user.events.map((e) => [e.name, e]));
    expect(byName['Viewed Pricing']!.accountId).toBe(user.visitors[0]!.id);
    expect(byName['Logged In']).toMatchObject({ accountId: user.id, verified: true });
    expect(await tessera.errors()).toEqual([]);
  });

  it('logout: reset() makes a new visitor, and later events are its own', async () => {
    await tessera.reset();
    const next = await tessera.anonymousUid();
    expect(next).toMatch(UUID_V4);
    expect(next).not.toBe(visitor);
    expect(await tessera.uid()).toBeNull();
    await tessera.track('Viewed Home');
    await tessera.flush();

    const stranger = await storedAccount(server, 'web', `anonymousUid=${next}`, (a) => a.events.length >= 1);
    expect(stranger).toMatchObject({ kind: 'VISITOR', uid: null, email: null });
    expect(eventNames(stranger)).toEqual(['Viewed Home']);
    const user = await storedAccount(server, 'web', `uid=${uid}`);
    expect(eventNames(user)).not.toContain('Viewed Home');
    expect(await tessera.errors()).toEqual([]);
  });
});
