// The operator dashboard end to end: a real server seeded through the published @dashx/node and
// DashX GraphQL calls, driven in headless Chromium. Screenshots: apps/dashboard/test-results/.
import dashxNode from '@dashx/node';
import jwt from 'jsonwebtoken';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY, TRACK, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ensureDashboardBuilt, launchChromium, screenshotDir } from './browser.ts';

// @dashx/node is CommonJS with `exports.default`; loaders differ on whether they unwrap it.
const DashX = 'createClient' in dashxNode ? (dashxNode as unknown as typeof dashxNode.default) : dashxNode.default;

const OPERATOR = { email: 'ops@example.com', password: 'a long operator passphrase' };
const VISITOR = 'anon-e2e-visitor-0001';

/** Fills the one-time setup page with OPERATOR and waits for the overview it signs in to. */
async function createOperator(page: Page): Promise<void> {
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password', { exact: true }).fill(OPERATOR.password);
  await page.getByLabel('Repeat the password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Create account and sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

// Once per file, before every browser test below (building twice at once would race).
beforeAll(() => ensureDashboardBuilt());

describe('operator dashboard in Chromium', () => {
  let server: TestServer;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dashx: ReturnType<typeof DashX.createClient>;
  const pageErrors: string[] = [];

  const shot = (name: string, target: Page = page) =>
    target.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    server = await startTestServer();
    base = await server.listen();
    const { publicKey, privateKey } = server.production;
    dashx = DashX.createClient({ baseUri: `${base}/graphql`, publicKey, privateKey });

    // A visitor browses before signing up; then the user identifies with a token and the same
    // anonymous uid, which merges the visitor (and its earlier event) into the user.
    await gql(
      server,
      TRACK,
      {
        event: 'Viewed Pricing',
        accountAnonymousUid: VISITOR,
        data: { plan: 'pro' },
        systemContext: { locale: 'en-GB', userAgent: 'E2E Browser' },
      },
      { publicKey },
    );
    await dashx.identify('ada-1', { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    await dashx.track('Signed Up', 'ada-1', { plan: 'pro' });
    const token = jwt.sign({ uid: 'ada-1', kind: 'USER' }, privateKey, { expiresIn: '1h' });
    const merged = await gql(server, IDENTIFY, { uid: 'ada-1', anonymousUid: VISITOR }, { publicKey, token });
    expect(merged.body.errors).toBeUndefined();
    // The same device logs in as another user without reset(): that merge is refused.
    const carol = jwt.sign({ uid: 'carol-3', kind: 'USER' }, privateKey, { expiresIn: '1h' });
    await gql(
      server,
      IDENTIFY,
      { uid: 'carol-3', anonymousUid: VISITOR, name: 'Carol Shared' },
      { publicKey, token: carol },
    );
    await dashx.identify('bob-2', { email: 'bob@example.com', name: 'Bob Example' });
    await dashx.track('Opened App', 'bob-2', {});
    for (let i = 0; i < 3; i++) await dashx.identify({ email: `visitor${i}@example.com` });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    // Script errors and CSP violations; refused requests (401, 429) are expected and left out.
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
    });
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the one-time setup page, creates the operator and signs them in', async () => {
    await page.goto(base);
    await expect.poll(() => page.getByRole('heading', { name: 'Create the operator account' }).isVisible()).toBe(true);
    await shot('01-setup');
    await createOperator(page);
    expect(page.url()).toBe(`${base}/e/production/overview`);
    await page.getByText('Events and active people per day').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shot('02-overview');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'tessera_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('signs out, refuses a bad password, and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The email or password is not correct').waitFor();
    await shot('03-sign-in-refused');
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('throttles sign-in after repeated failures', async () => {
    await server.services.operators.create('second@example.com', 'second operator password');
    const other = await browser.newContext();
    const tab = await other.newPage();
    await tab.goto(base);
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tab.getByLabel('Email').fill('second@example.com');
    for (let i = 0; i < 5; i++) {
      await tab.getByLabel('Password').fill(`wrong password ${i}`);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('alert').getByText('not correct').waitFor();
      await tab.getByRole('button', { name: 'Sign in' }).and(tab.locator(':enabled')).waitFor();
    }
    // Locked now, even with the right password.
    await tab.getByLabel('Password').fill('second operator password');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab
      .getByRole('alert')
      .getByText(/Too many failed sign-ins\. Try again in \d+ seconds/)
      .waitFor();
    await shot('04-sign-in-throttled', tab);
    await other.close();
  });

  it('People: search finds a user by email', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByRole('link', { name: 'Bob Example' }).waitFor();
    await shot('05-people');
    await page.getByRole('searchbox', { name: 'Search by uid, email or name' }).fill('ada@example.com');
    await expect.poll(() => page.locator('table.people tbody tr').count()).toBe(1);
    const row = page.locator('table.people tbody tr').first();
    expect(await row.innerText()).toMatch(
      /Ada Lovelace[\s\S]*ada@example\.com[\s\S]*User[\s\S]*\+1 visitor[\s\S]*ada-1/,
    );
    await shot('06-people-search');
  });

  it("Person: traits, the merged visitor and the visitor's earlier events", async () => {
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const traits = page.locator('.card', { has: page.getByRole('heading', { name: 'Traits' }) });
    expect(await traits.innerText()).toMatch(
      /Email\s+ada@example\.com[\s\S]*First name\s+Ada[\s\S]*Last name\s+Lovelace/,
    );
    const identities = page.locator('.card', { has: page.getByRole('heading', { name: 'Identities' }) });
    await identities.getByRole('link', { name: VISITOR }).waitFor();
    const timeline = page.locator('ol.timeline');
    await timeline.getByText('Signed Up').waitFor();
    const visitorEvent = timeline.locator('li', { hasText: 'Viewed Pricing' });
    expect(await visitorEvent.innerText()).toContain('as visitor anon-e2e');
    await visitorEvent.locator('summary').click();
    await visitorEvent.getByText('"plan": "pro"').waitFor();
    await visitorEvent.getByText('"locale": "en-GB"').waitFor();
    await shot('07-person');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tessera-production-ada-1.json');
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.account.uid).toBe('ada-1');
    expect(exported.events.map((e: any) => e.name).sort()).toEqual(['Signed Up', 'Viewed Pricing']);
  });

  it('Person: a refused merge shows as a warning', async () => {
    const carol = await server.admin('GET', '/environments/production/accounts?uid=carol-3');
    await page.goto(`${base}/e/production/people/${carol.body.items[0].id}`);
    await page.getByRole('heading', { name: 'Carol Shared', level: 1 }).waitFor();
    const warning = page.locator('.merge-log li.warning');
    expect(await warning.innerText()).toMatch(/Refused: visitor anon-e2e-visitor-0001 already belongs to another user/);
    expect(await page.getByRole('button', { name: 'Undo merge' }).count()).toBe(0);
    await shot('08-person-refused-merge');
    await page.goBack();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
  });

  it('Undo merge (after a confirm step) restores the visitor', async () => {
    await page.getByRole('button', { name: 'Undo merge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Undo this merge?' });
    await dialog.waitFor();
    await shot('09-undo-confirm');
    await dialog.getByRole('button', { name: 'Undo merge' }).click();
    await page.getByText(/None\. A visitor is merged when/).waitFor();
    await page.getByText(/— undone/).waitFor();
    await expect.poll(() => page.locator('ol.timeline li', { hasText: 'Viewed Pricing' }).count()).toBe(0);
    await shot('10-after-undo');

    const visitor = await server.admin('GET', `/environments/production/accounts?anonymousUid=${VISITOR}`);
    expect(visitor.body.items[0]).toMatchObject({ kind: 'VISITOR', mergedIntoId: null });
    await page.goto(`${base}/e/production/people/${visitor.body.items[0].id}`);
    await page.locator('ol.timeline').getByText('Viewed Pricing').waitFor();
    expect(await page.getByText('This visitor was merged into a user').count()).toBe(0);
  });

  it('Delete (typed confirmation) removes the person', async () => {
    await page.goto(`${base}/e/production/people?q=bob`);
    await page.getByRole('link', { name: 'Bob Example' }).click();
    await page.getByRole('heading', { name: 'Bob Example', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this person?' });
    const confirm = dialog.getByRole('button', { name: 'Delete for good' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type bob-2 to confirm/).fill('bob-2');
    await shot('11-delete-confirm');
    await confirm.click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page
      .getByRole('status')
      .getByText(/Deleted bob-2/)
      .waitFor();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    expect(await page.getByRole('link', { name: 'Bob Example' }).count()).toBe(0);
    const gone = await server.admin('GET', '/environments/production/accounts?uid=bob-2');
    expect(gone.body.items).toEqual([]);
  });

  it('Live events shows an event sent after the page opened', async () => {
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.getByRole('heading', { name: 'Live events' }).waitFor();
    await page.getByText('Listening for new events').waitFor();
    await page.locator('ol.timeline.live li').first().waitFor();
    await dashx.track('Live Ping', 'ada-1', { n: 1 });
    await page.locator('ol.timeline.live li', { hasText: 'Live Ping' }).waitFor();
    await page.getByRole('searchbox', { name: 'Event name contains' }).fill('ping');
    await expect.poll(() => page.locator('ol.timeline.live li').count()).toBe(1);
    await shot('12-live');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused.').waitFor();
  });

  it('creates an environment and a key pair, revokes it, and /graphql refuses the revoked key', async () => {
    await page.getByRole('link', { name: 'Environments & keys' }).click();
    await page.getByLabel('Name').fill('e2e-env');
    await page.getByRole('button', { name: 'Create environment' }).click();
    const firstPrivate = await page.getByTestId('new-private-key').innerText();
    expect(firstPrivate).toMatch(/^sk_\w{29}$/);
    await shot('13-environment-created');
    await page.getByRole('link', { name: 'e2e-env', exact: true }).first().click();
    await page.getByRole('heading', { name: 'e2e-env', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Create key pair' }).click();
    const publicKey = await page.getByTestId('new-public-key').innerText();
    const privateKey = await page.getByTestId('new-private-key').innerText();
    await page.getByText(/Rotating: two key pairs are active/).waitFor();
    await page.getByRole('tab', { name: '@dashx/node' }).click();
    expect(await page.getByRole('tabpanel').innerText()).toContain('targetEnvironment: "e2e-env"');
    await shot('14-environment-keys');

    // The new pair works, then stops working once revoked.
    const input = { event: 'Key Check', accountUid: 'key-user' };
    expect((await gql(server, TRACK, input, { publicKey, privateKey })).body.errors).toBeUndefined();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('button', { name: `Revoke ${publicKey}` }).click();
    await page
      .getByRole('dialog', { name: 'Revoke this key pair?' })
      .getByRole('button', { name: 'Revoke now' })
      .click();
    await page
      .locator(`tr[data-public-key="${publicKey}"]`)
      .getByText(/^revoked/)
      .waitFor();
    await shot('15-key-revoked');
    const refused = await gql(server, TRACK, input, { publicKey, privateKey });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('works from the keyboard: tabs move with the arrow keys, Escape closes a dialog', async () => {
    await page.getByRole('tab', { name: '@tessera/browser' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: '@tessera/node' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tabpanel').innerText()).toContain("import { createClient } from '@tessera/node'");
    await page
      .getByRole('button', { name: /^Revoke pk_/ })
      .first()
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Revoke this key pair?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it("reveals an environment's private key again, only after a confirm step", async () => {
    const reveals: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/key-pairs/reveal')) reveals.push(r.method());
    });
    await page.getByRole('link', { name: 'Environments & keys' }).click();
    await page.getByRole('button', { name: 'Reveal private key of production' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal the private key of production?' });
    await dialog.waitFor();
    await shot('19-reveal-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(reveals).toEqual([]);
    expect(await page.getByTestId('revealed-private-key').count()).toBe(0);

    await page.getByRole('button', { name: 'Reveal private key of production' }).click();
    await dialog.getByRole('button', { name: 'Reveal private key' }).click();
    const revealed = page.getByRole('region', { name: 'Key pair of production' });
    expect(await revealed.getByTestId('revealed-public-key').innerText()).toBe(server.production.publicKey);
    expect(await revealed.getByTestId('revealed-private-key').innerText()).toBe(server.production.privateKey);
    expect(reveals).toEqual(['POST']);
    await shot('20-key-revealed');
    await revealed.getByRole('button', { name: 'Hide' }).click();
    await revealed.waitFor({ state: 'detached' });
  });

  it("sets an environment's allowed origins and rate limit per key, saved through the API", async () => {
    await page.goto(`${base}/environments/production`);
    const form = page.getByRole('form', { name: 'Browser ingest' });
    await form.getByLabel('Allowed origins').fill('HTTPS://Shop.Example.com:443\nhttps://*.preview.example.com');
    await form.getByLabel('Rate limit per key').fill('250');
    await form.getByRole('button', { name: 'Save origins and rate limit' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    // The page shows what the server stored: normalised.
    expect(await form.getByLabel('Allowed origins').inputValue()).toBe(
      'https://shop.example.com\nhttps://*.preview.example.com',
    );
    await shot('21-environment-origins');
    const saved = await server.admin('GET', '/environments/production');
    expect(saved.body).toMatchObject({
      allowedOrigins: ['https://shop.example.com', 'https://*.preview.example.com'],
      rateLimitPerKey: 250,
    });

    // A path is refused with the server's message; nothing changes.
    await form.getByLabel('Allowed origins').fill('https://shop.example.com/cart');
    await form.getByRole('button', { name: 'Save origins and rate limit' }).click();
    await form
      .getByRole('alert')
      .getByText(/has a path, query or fragment/)
      .waitFor();
    expect((await server.admin('GET', '/environments/production')).body.rateLimitPerKey).toBe(250);

    // Emptied: open to any origin and the server-wide rate again.
    await form.getByLabel('Allowed origins').fill('');
    await form.getByLabel('Rate limit per key').fill('');
    await form.getByRole('button', { name: 'Save origins and rate limit' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    expect((await server.admin('GET', '/environments/production')).body).toMatchObject({
      allowedOrigins: null,
      rateLimitPerKey: null,
    });
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.addCookies(await context.cookies());
    const tab = await phone.newPage();
    await tab.goto(`${base}/e/production/people`);
    await tab.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    expect(await tab.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('16-phone-people', tab);
    await tab.getByRole('link', { name: 'Ada Lovelace' }).click();
    await tab.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    expect(await tab.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('17-phone-person', tab);
    await tab.goto(`${base}/e/production/overview`);
    await tab.locator('.chart canvas').first().waitFor();
    await shot('18-phone-overview', tab);
    await phone.close();
  });
});

describe('operator dashboard under TESSERA_BASE_PATH=/tessera in Chromium', () => {
  let server: TestServer;
  let base: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const notFound: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ basePath: '/tessera' });
    base = await server.listen();
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('response', (res) => {
      if (res.status() === 404) notFound.push(res.url());
    });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets up an operator, follows links and shows SDK snippets, all under the prefix', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tessera$/);
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Create the operator account' }).waitFor();
    await createOperator(page);
    expect(page.url()).toBe(`${base}/e/production/overview`);

    // A deep link loads the app too (its asset URLs are absolute), and the snippets name the prefix.
    await page.goto(`${base}/environments/production`);
    await page.getByRole('heading', { name: 'Connect an app' }).waitFor();
    expect(await page.locator('.card pre').first().textContent()).toContain(`baseUri: "${base}"`);
    await page.screenshot({ path: join(screenshotDir, 'base-path-environment.png'), fullPage: true });
    await page.getByRole('link', { name: '← Environments' }).click();
    await page.waitForURL(`${base}/environments`);
    await page.getByRole('link', { name: 'People' }).click();
    await page.waitForURL(`${base}/e/production/people`);
    expect(pageErrors).toEqual([]);
    expect(notFound).toEqual([]);
  });
});
