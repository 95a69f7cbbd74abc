// @tessera/node from its tarball under plain Node: require() and import() each load their build, and
// the backend flow (identify, token, track, flush, shutdown) is stored by a `tessera serve` installed alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventNames, storedAccount } from './helpers/accounts.ts';
import { createProject, fixture, type Project } from './helpers/project.ts';
import { startServer, type Keys, type ServerProcess } from './helpers/server.ts';

describe('@tessera/node installed from its tarball', () => {
  let app: Project;
  let serverProject: Project;
  let server: ServerProcess;
  let keys: Keys;
  let version: string;

  beforeAll(async () => {
    [app, serverProject] = await Promise.all([
      createProject(['@tessera/protocol', '@tessera/sdk-core', '@tessera/node']),
      createProject(['@tessera/server']),
    ]);
    server = await startServer(serverProject.dir);
    keys = await server.createEnvironment('backend');
    app.write('backend-flow.mjs', fixture('backend-flow.mjs'));
    version = JSON.parse(readFileSync(join(app.dir, 'node_modules/@tessera/node/package.json'), 'utf8')).version;
  });
  afterAll(async () => {
    await server?.stop();
    app?.remove();
    serverProject?.remove();
  });

  it('require() and import() under plain Node give the same API, each from its own build', async () => {
    const script = (load: string) =>
      `${load}.then((m) => console.log(JSON.stringify({ names: Object.keys(m).filter((k) => k !== 'default').sort(), version: m.VERSION, error: new m.TesseraError('INVALID_INPUT', 'x') instanceof Error })))`;
    const cjs = JSON.parse(
      (await app.exec(process.execPath, ['-e', script("Promise.resolve(require('@tessera/node'))")])).stdout,
    );
    const esm = JSON.parse(
      (await app.exec(process.execPath, ['--input-type=module', '-e', script("import('@tessera/node')")])).stdout,
    );
    expect(cjs.names).toEqual(
      expect.arrayContaining([
        'ClientErrorCode',
        'TesseraClient',
        'TesseraError',
        'VERSION',
        'createClient',
        'isTesseraError',
      ]),
    );
    expect(esm).toEqual(cjs);
    expect(cjs).toMatchObject({ version, error: true });
  });

  for (const loader of ['require', 'import'] as const) {
    it(`the backend flow through ${loader}(): the user, its event and a token the server accepts`, async () => {
      const uid = `user-${loader}`;
      const email = `${loader}@example.com`;
      const { stdout } = await app.exec(process.execPath, ['backend-flow.mjs', loader, uid, email], {
        TESSERA_BASE_URI: server.url,
        TESSERA_PUBLIC_KEY: keys.publicKey,
        TESSERA_PRIVATE_KEY: keys.privateKey,
      });
      const result = JSON.parse(stdout);
      expect(result.entry, 'the build this loader picked').toMatch(
        loader === 'require'
          ? /\/node_modules\/@tessera\/node\/dist\/cjs\/index\.js$/
          : /\/node_modules\/@tessera\/node\/dist\/esm\/index\.js$/,
      );
      expect(result.identified).toMatchObject({ uid });
      expect(result.account).toEqual({ uid, email, verified: true });

      // generateIdentityToken returned the JWT itself, synchronously: HS256, the guide's claims, no aud.
      expect(result.tokenType).toBe('string');
      const [header, payload] = (result.token as string)
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'HS256' });
      expect(payload).toMatchObject({ uid, kind: 'USER' });
      expect(payload.exp - payload.iat).toBe(3600);
      expect(payload).not.toHaveProperty('aud');

      // What the operator sees: the user with its traits, and the tracked event with its data.
      const user = await storedAccount(server, 'backend', `uid=${uid}`, (a) => a.events.length >= 1);
      expect(user).toMatchObject({ kind: 'USER', uid, email, verified: true, custom: { plan: 'pro' } });
      expect(eventNames(user)).toEqual(['Order Placed']);
      expect(user.events[0]).toMatchObject({
        data: { total: 42, currency: 'EUR' },
        verified: true,
        systemContext: { library: { name: '@tessera/node', version } },
      });

      // A frontend holding only the public key and this token may write as the user.
      const res = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-public-key': keys.publicKey,
          'x-identity-token': result.token,
        },
        body: JSON.stringify({ uid, event: 'Token Used' }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const after = await storedAccount(server, 'backend', `uid=${uid}`, (a) => a.events.length >= 2);
      expect(after.events[0]).toMatchObject({ name: 'Token Used', verified: true });
    });
  }
});
