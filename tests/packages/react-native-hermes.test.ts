// The guide in a React Native app, in Hermes: @tessera/react-native installed from its tarball into
// a fresh project with Metro, AsyncStorage and React Native's Babel preset from the registry,
// bundled by that Metro (helpers/hermes.ts), run in the hermes binary against `tessera serve`
// installed alone; the backend's part by @tessera/node from the same install; checked via the
// admin API.
//
// How it runs: each app launch is a fresh Hermes process (its REPL, fed on stdin). The app's fetch
// prints each request; the test sends it to the real server and types the real answer back into
// the same session, so the SDK acts on what the server said. Between launches the test keeps what
// AsyncStorage held (its official in-memory mock stands in for the device's disk) and hands it to
// the next launch: a restart keeps exactly what the SDK stored, nothing else. What stands in for
// React Native, which cannot run outside a device: a `react-native` stub with AppState and Platform
// (fixtures/react-native/react-native.js), and host.js for what React Native's native side
// provides (console, fetch, timers that wait). Everything else in the bundle is the project's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/chromium.ts';
import { eventNames, storedAccount } from './helpers/accounts.ts';
import { bundleReactNativeApp, launchApp, type Bundle, type Launch, type RunningApp } from './helpers/hermes.ts';
import { createProject, fixture, type Project } from './helpers/project.ts';
import { startServer, type Keys, type ServerProcess } from './helpers/server.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The registry packages of a React Native app's project that the bundle needs; React Native itself is the stub. */
const APP_PACKAGES = [
  '@react-native-async-storage/async-storage@3.1.1',
  '@babel/runtime@7.29.15',
  'metro@0.87.1',
  '@react-native/metro-babel-transformer@0.88.1',
  // AsyncStorage's peers (react, react-native) would bring React Native, which is stubbed.
  '--legacy-peer-deps',
];

describe('the guide in Hermes with the packed React Native SDK', () => {
  let project: Project;
  let serverProject: Project;
  let server: ServerProcess;
  let keys: Keys;
  let bundle: Bundle;
  let version: string;
  let app: RunningApp | undefined;
  /** AsyncStorage's contents when the app was last killed. */
  let disk: Record<string, string> = {};

  const launch = async () => {
    // A launch after a failed test: the app still running from it goes first.
    await app?.kill().catch(() => undefined);
    const state: Launch = {
      publicKey: keys.publicKey,
      baseUri: server.url,
      // Sent when the app goes to the background, on flush(), and at launch; not on a timer mid-test.
      options: { flushInterval: 600_000 },
      disk,
    };
    app = await launchApp(bundle, state);
    return app;
  };
  const kill = async () => {
    disk = await app!.kill();
    app = undefined;
  };
  const json = (value: unknown) => JSON.stringify(value);
  /** Once the app made `count` requests and the server answered them all. */
  const answered = (tessera: RunningApp, count: number) =>
    eventually(async () =>
      tessera.exchanges.length >= count && tessera.exchanges.every((e) => e.status) ? true : undefined,
    );
  /** Nothing reported to onError, printed to the console or thrown uncaught in Hermes. */
  const expectNoErrors = async (tessera: RunningApp) => {
    expect(await tessera.eval('app.errors')).toEqual([]);
    expect(tessera.logs).toEqual([]);
    expect(tessera.uncaught).toEqual([]);
  };
  /** The identity the SDK stored. */
  const storedIdentity = () => JSON.parse(disk['tessera:id'] ?? 'null');
  const queued = () => JSON.parse(disk[`tessera:q:${keys.publicKey}:main`] ?? '[]') as { i: { event?: string } }[];

  beforeAll(async () => {
    [project, serverProject] = await Promise.all([
      createProject(['@tessera/protocol', '@tessera/sdk-core', '@tessera/react-native', '@tessera/node'], APP_PACKAGES),
      createProject(['@tessera/server']),
    ]);
    server = await startServer(serverProject.dir);
    keys = await server.createEnvironment('mobile');
    project.write('backend-flow.mjs', fixture('backend-flow.mjs'));
    bundle = await bundleReactNativeApp(project);
    version = JSON.parse(
      readFileSync(join(project.dir, 'node_modules/@tessera/react-native/package.json'), 'utf8'),
    ).version;
  });
  afterAll(async () => {
    await app?.kill().catch(() => undefined);
    await server?.stop();
    project?.remove();
    serverProject?.remove();
  });

  it("the bundle is Metro's, of the installed package's build and the project's files only", () => {
    // sdk-core is bundled into @tessera/react-native's build; every file is in the project.
    expect(bundle.sources.filter((s) => s.startsWith('node_modules/@tessera/'))).toEqual([
      'node_modules/@tessera/react-native/dist/cjs/index.js',
    ]);
    expect(bundle.sources).toEqual(
      expect.arrayContaining([
        'node_modules/metro-runtime/src/polyfills/require.js',
        'index.js',
        'host.js',
        'app.js',
        'react-native.js',
      ]),
    );
    expect(bundle.sources.filter((s) => s.startsWith('/'))).toEqual([]);
  });

  let visitor: string;

  it('first launch: a visitor, whose events go out when the app goes to the background', async () => {
    const tessera = await launch();
    visitor = await tessera.eval('tessera.anonymousUid');
    expect(visitor).toMatch(UUID_V4);
    // The SDK listens to AppState (React Native's, the stub here).
    expect(await tessera.eval("app.appState.listeners('change')")).toBe(1);

    await tessera.eval(`tessera.track('Opened App', ${json({ screen: 'Home' })})`);
    await tessera.eval(`tessera.identify(${json({ email: 'grace.news@example.com', newsletter: true })})`);
    expect(tessera.exchanges, 'nothing is sent before the app goes to the background').toEqual([]);
    await tessera.eval("app.appState.change('background')");
    await answered(tessera, 1);
    expect(tessera.exchanges).toHaveLength(1);
    const [sent] = tessera.exchanges;
    expect(sent).toMatchObject({ url: `${server.url}/v1/batch`, method: 'POST', status: 200 });
    expect(sent!.headers).toMatchObject({ 'X-Public-Key': keys.publicKey });
    expect(sent!.headers).not.toHaveProperty('X-Identity-Token');
    expect(sent!.body.batch.map((item: any) => [item.type, item.event ?? null, item.anonymousUid])).toEqual([
      ['track', 'Opened App', visitor],
      ['identify', null, visitor],
    ]);
    expect(sent!.response.rejected).toEqual([]);

    const stored = await storedAccount(
      server,
      'mobile',
      `anonymousUid=${visitor}`,
      (a) => a.email === 'grace.news@example.com' && a.events.length >= 1,
    );
    expect(stored).toMatchObject({ kind: 'VISITOR', uid: null, custom: { newsletter: true } });
    expect(eventNames(stored)).toEqual(['Opened App']);
    expect(stored.events[0]).toMatchObject({
      data: { screen: 'Home' },
      systemContext: { library: { name: '@tessera/react-native', version }, os: { name: 'ios', version: '17.4' } },
    });

    // Back in the foreground, one more event; then the app is killed before anything sends it.
    await tessera.eval("app.appState.change('active')");
    await tessera.eval(`tessera.track('Viewed Pricing', ${json({ plan: 'pro' })})`);
    await expectNoErrors(tessera);
    const requests = tessera.exchanges.length;
    await kill();

    expect(requests, 'the foreground sent nothing more').toBe(1);
    expect(storedIdentity()).toEqual({ accountAnonymousUid: visitor, accountUid: null, identityToken: null });
    expect(queued().map((q) => q.i.event)).toEqual(['Viewed Pricing']);
    expect(eventNames(await storedAccount(server, 'mobile', `anonymousUid=${visitor}`))).toEqual(['Opened App']);
  });

  it('the app restarts: the same visitor, and the event it queued goes out at launch', async () => {
    const tessera = await launch();
    expect(await tessera.eval('tessera.anonymousUid')).toBe(visitor);
    await answered(tessera, 1);
    expect(tessera.exchanges.map((e) => [e.status, e.body.batch.map((item: any) => item.event)])).toEqual([
      [200, ['Viewed Pricing']],
    ]);
    const stored = await storedAccount(server, 'mobile', `anonymousUid=${visitor}`, (a) => a.events.length >= 2);
    expect(eventNames(stored)).toEqual(['Opened App', 'Viewed Pricing']);
    expect(stored.events[0]).toMatchObject({ name: 'Viewed Pricing', data: { plan: 'pro' } });
    await expectNoErrors(tessera);
  });

  const uid = 'user-grace';
  let token: string;

  it("login: the backend's user and token; setIdentity merges the visitor into the user", async () => {
    const { stdout } = await project.exec(process.execPath, ['backend-flow.mjs', 'import', uid, 'grace@example.com'], {
      TESSERA_BASE_URI: server.url,
      TESSERA_PUBLIC_KEY: keys.publicKey,
      TESSERA_PRIVATE_KEY: keys.privateKey,
    });
    token = JSON.parse(stdout).token;
    const tessera = app!;
    const before = tessera.exchanges.length;
    await tessera.eval(`tessera.setIdentity(${json(uid)}, ${json(token)})`);
    await tessera.eval("tessera.track('Logged In')");
    await tessera.eval('tessera.flush()');
    expect(await tessera.eval('tessera.uid')).toBe(uid);
    expect(await tessera.eval('tessera.anonymousUid')).toBe(visitor);

    const sent = tessera.exchanges.slice(before);
    expect(sent.map((e) => [e.status, e.headers['X-Identity-Token'], e.body.batch.map((i: any) => i.uid)])).toEqual([
      [200, token, [uid]],
    ]);
    const user = await storedAccount(
      server,
      'mobile',
      `uid=${uid}`,
      (a) => a.visitors.length > 0 && eventNames(a).includes('Logged In'),
    );
    expect(user).toMatchObject({ kind: 'USER', email: 'grace@example.com', verified: true });
    expect(user.visitors.map((v) => v.anonymousUid)).toEqual([visitor]);
    // The user's timeline holds the visitor's events (recorded by the visitor), the backend's and its own.
    expect(eventNames(user)).toEqual(['Opened App', 'Viewed Pricing', 'Order Placed', 'Logged In']);
    const byName = Object.fromEntries(user.events.map((e) => [e.name, e]));
    expect(byName['Viewed Pricing']!.accountId).toBe(user.visitors[0]!.id);
    expect(byName['Logged In']).toMatchObject({ accountId: user.id, verified: true });
    await expectNoErrors(tessera);
    await kill();
    expect(storedIdentity()).toEqual({ accountAnonymousUid: visitor, accountUid: uid, identityToken: token });
  });

  it('another restart keeps the user and its token; logout: reset() makes a new visitor', async () => {
    const tessera = await launch();
    expect(await tessera.eval('tessera.uid')).toBe(uid);
    await tessera.eval("tessera.track('Viewed Orders')");
    await tessera.eval('tessera.flush()');
    expect(tessera.exchanges.map((e) => [e.status, e.headers['X-Identity-Token']])).toEqual([[200, token]]);
    const user = await storedAccount(server, 'mobile', `uid=${uid}`, (a) => eventNames(a).includes('Viewed Orders'));
    expect(user.events[0]).toMatchObject({ name: 'Viewed Orders', accountId: user.id, verified: true });

    await tessera.eval('tessera.reset()');
    const next = await tessera.eval<string>('tessera.anonymousUid');
    expect(next).toMatch(UUID_V4);
    expect(next).not.toBe(visitor);
    expect(await tessera.eval('tessera.uid')).toBeNull();
    await tessera.eval("tessera.track('Viewed Home')");
    await tessera.eval('tessera.flush()');

    const stranger = await storedAccount(server, 'mobile', `anonymousUid=${next}`, (a) => a.events.length >= 1);
    expect(stranger).toMatchObject({ kind: 'VISITOR', uid: null, email: null });
    expect(eventNames(stranger)).toEqual(['Viewed Home']);
    expect(eventNames(await storedAccount(server, 'mobile', `uid=${uid}`))).not.toContain('Viewed Home');
    await expectNoErrors(tessera);
    await kill();
    expect(storedIdentity()).toEqual({ accountAnonymousUid: next, accountUid: null, identityToken: null });
    expect(queued()).toEqual([]);
  });
});
