// The guide, end to end: the demo app in headless Chromium with @tessera/browser, its backend with
// @tessera/node, every step checked through Tessera's admin API. Then `npm start` as a process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@tessera/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/demo-app/src/app.ts';
import { UserStore } from '../../examples/demo-app/src/users.ts';
import { signJwt } from '../../packages/server/src/tokens/index.ts';
import { startTestServer, type TestServer } from '../../packages/server/test/helpers/server.ts';
import { eventually, launchChromium } from '../helpers/chromium.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the guide in the demo app', () => {
  let server: TestServer;
  let demo: ReturnType<typeof createDemoApp>;
  let demoUrl: string;
  let keys: { publicKey: string; privateKey: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-demo-'));
  let backend: ReturnType<typeof createClient>;

  beforeAll(async () => {
    // The page loads the script-tag bundle the demo serves: build it from the current sources.
    spawnSync(process.execPath, ['packages/sdk-browser/scripts/build.mjs', '--script-tag'], {
      cwd: root,
      stdio: 'inherit',
    });
    server = await startTestServer();
    const tesseraUrl = await server.listen();
    keys = (await server.admin('POST', '/environments', { name: 'demo' })).body.keyPair;
    backend = createClient({ baseUri: tesseraUrl, ...keys, targetEnvironment: 'demo', flushInterval: 100 });
    const config = { port: 0, host: '127.0.0.1', dataDir, tesseraUrl, publicKey: keys.publicKey, environment: 'demo' };
    demo = createDemoApp(config, backend, await UserStore.open(dataDir));
    demoUrl = await demo.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err));
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await backend?.shutdown();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const flush = () => page.evaluate(() => (window as any).tessera.flush());
  const anonymousUid = () => page.evaluate(() => (window as any).tessera.anonymousUid as string);
  /** An account by uid or anonymous uid, once it has at least `events` events. */
  const account = (query: string, events = 0) =>
    eventually(async () => {
      const list = await server.admin('GET', `/environments/demo/accounts?${query}`);
      const found = list.body.items[0];
      if (!found) return undefined;
      // The timeline before the account, so that a merge the timeline shows is in the account too.
      const timeline = (await server.admin('GET', `/environments/demo/accounts/${found.id}/events?limit=200`)).body
        .items;
      const detail = (await server.admin('GET', `/environments/demo/accounts/${found.id}`)).body;
      return timeline.length >= events ? { ...detail, events: timeline as any[] } : undefined;
    });
  const names = (events: any[]) => events.map((e) => e.name);

  const signUp = async (firstName: string, email: string) => {
    await page.goto(`${demoUrl}/#signup`);
    await page.fill('#signup-form [name=firstName]', firstName);
    await page.fill('#signup-form [name=lastName]', 'Tester');
    await page.fill('#signup-form [name=email]', email);
    await page.fill('#signup-form [name=password]', 'correct horse battery');
    await page.click('#signup-form button[type=submit]');
    await page.waitForSelector('text=Account created');
  };
  const logIn = async (email: string) => {
    await page.goto(`${demoUrl}/#login`);
    await page.fill('#login-form [name=email]', email);
    await page.fill('#login-form [name=password]', 'correct horse battery');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#logout:not([hidden])');
  };

  let firstVisitor: string;
  let ada: string;

  it('first visit: a visitor with its page views', async () => {
    await page.goto(demoUrl);
    firstVisitor = await anonymousUid();
    expect(firstVisitor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await page.click('[data-feature=sharing]');
    await flush();
    const visitor = await account(`anonymousUid=${firstVisitor}`, 2);
    expect(visitor.kind).toBe('VISITOR');
    expect(names(visitor.events)).toEqual(['Feature Viewed', 'Page Viewed']);
  });

  it('newsletter: identify({ email }) saves the trait on the visitor', async () => {
    await page.fill('#newsletter [name=email]', 'ada.news@example.com');
    await page.click('#newsletter button[type=submit]');
    await flush();
    const visitor = await eventually(async () => {
      const v = await account(`anonymousUid=${firstVisitor}`);
      return v.email === 'ada.news@example.com' ? v : undefined;
    });
    expect(visitor.kind).toBe('VISITOR');
  });

  it('signup: the backend creates the user with its traits', async () => {
    await signUp('Ada', 'ada@example.com');
    const user = await account('q=ada@example.com');
    expect(user).toMatchObject({
      kind: 'USER',
      firstName: 'Ada',
      lastName: 'Tester',
      email: 'ada@example.com',
      verified: true,
    });
    ada = user.uid;
  });

  it("login: setIdentity merges the visitor; its earlier events are on the user's timeline", async () => {
    await logIn('ada@example.com');
    await flush();
    const user = await account(`uid=${ada}`, 4);
    expect(user.visitors.map((v: any) => v.anonymousUid)).toEqual([firstVisitor]);
    expect(names(user.events)).toEqual(
      expect.arrayContaining(['Logged In', 'Feature Viewed', 'Newsletter Subscribed']),
    );
    expect(user.events.find((e: any) => e.name === 'Logged In').verified).toBe(true);
    await eventually(async () => ((await page.textContent('#id-uid')) === ada ? true : undefined));
  });

  it('tracking as the user; an expired token is refreshed through the provider, nothing lost', async () => {
    await page.click('[data-feature=search]');
    const expired = signJwt({
      uid: ada,
      secret: keys.privateKey,
      expiresInSeconds: 60,
      audience: 'demo',
      nowSeconds: Math.floor(Date.now() / 1000) - 3600,
    });
    await page.evaluate(([uid, token]) => (window as any).tessera.setIdentity(uid, token), [ada, expired]);
    await page.click('header a[href="#pricing"]');
    await page.click('[data-plan=pro]');
    await flush();
    const user = await account(`uid=${ada}`);
    const plan = await eventually(async () =>
      (await account(`uid=${ada}`)).events.find((e: any) => e.name === 'Plan Chosen'),
    );
    expect(plan).toMatchObject({ data: { plan: 'pro' }, verified: true });
    expect(names(user.events)).toContain('Feature Viewed');
    expect(await page.textContent('#message')).toBe(''); // no error shown to the user
  });

  let secondVisitor: string;

  it('logout: reset() starts a new visitor; later events are on it', async () => {
    await page.click('#logout');
    await page.waitForSelector('text=You are a new visitor now');
    secondVisitor = await anonymousUid();
    expect(secondVisitor).not.toBe(firstVisitor);
    await page.click('header a[href="#home"]');
    await page.click('[data-feature=offline]');
    await flush();
    const visitor = await account(`anonymousUid=${secondVisitor}`, 1);
    expect(visitor).toMatchObject({ kind: 'VISITOR', mergedIntoId: null });
    expect(names(visitor.events)).toContain('Feature Viewed');
    expect(names((await account(`uid=${ada}`)).events)).toContain('Logged Out');
  });

  it('a second user logging in on the same browser without reset is not merged with the first', async () => {
    await signUp('Grace', 'grace@example.com');
    const grace = (await account('q=grace@example.com')).uid;
    await logIn('ada@example.com'); // the second visitor joins Ada
    await flush();
    await eventually(async () => ((await account(`uid=${ada}`)).visitors.length === 2 ? true : undefined));
    await logIn('grace@example.com'); // no logout in between: same anonymous uid
    await flush();
    // Grace's own login event (the backend's "Signed Up" is already there).
    const user = await eventually(async () => {
      const g = await account(`uid=${grace}`);
      return g.events.some((e: any) => e.name === 'Logged In') ? g : undefined;
    });
    expect(user.visitors).toEqual([]);
    expect(user.merges).toEqual([expect.objectContaining({ status: 'refused' })]);
    expect((await account(`uid=${ada}`)).visitors.map((v: any) => v.anonymousUid).sort()).toEqual(
      [firstVisitor, secondVisitor].sort(),
    );
  });
});

describe('npm start', () => {
  it('starts Tessera and the demo app and prints both URLs', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tessera-start-'));
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, TESSERA_HOME: home, PORT: '0', DEMO_PORT: '0', DATABASE_URL: '', TESSERA_ADMIN_TOKEN: '' },
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const urls = await eventually(async () => {
        const demo = /^ {2}Demo app\s+(http:\/\/\S+)/m.exec(output)?.[1];
        const dashboard = /^ {2}Dashboard\s+(http:\/\/\S+)/m.exec(output)?.[1];
        return demo && dashboard ? { demo, dashboard } : undefined;
      }, 90_000);
      expect((await fetch(urls.demo)).status).toBe(200);
      expect(await (await fetch(`${urls.dashboard}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(output).toMatch(/production\s+public key\s+pk_/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
