/**
 * The demo's backend: signup creates the user in its own store and in Tessera
 * (`identify(uid, traits)` with the private key); login mints an identity token
 * (`generateIdentityToken`) for the page's `setIdentity(uid, token)`; `/api/identity-token`
 * serves the page's token provider, so tokens are refreshed before they expire.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TesseraClient } from '@tessera/node';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DemoConfig } from './config.ts';
import { Sessions, sessionCookie } from './sessions.ts';
import type { UserStore } from './users.ts';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const require = createRequire(import.meta.url);

/** Token lifetimes the login form offers: the guide's 7 days, or one minute to watch a refresh. */
const lifetimes: Record<string, string> = { long: '7d', short: '60s' };

export function createDemoApp(config: DemoConfig, tessera: TesseraClient, users: UserStore): FastifyInstance {
  const app = Fastify({ logger: false });
  const sessions = new Sessions();

  const page = (file: string, type: string) => async () => ({
    type,
    body: await readFile(join(publicDir, file), 'utf8'),
  });
  for (const [path, file, type] of [
    ['/', 'index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'style.css', 'text/css; charset=utf-8'],
  ] as const) {
    app.get(path, async (_req, reply) => {
      const { type: contentType, body } = await page(file, type)();
      return reply.type(contentType).send(body);
    });
  }
  app.get('/config.js', async (_req, reply) =>
    reply
      .type('text/javascript')
      .send(
        `window.DEMO_CONFIG = ${JSON.stringify({ tesseraUrl: config.tesseraUrl, publicKey: config.publicKey, environment: config.environment })};`,
      ),
  );
  app.get('/tessera.js', async (_req, reply) => {
    // The script-tag build of @tessera/browser (npm start builds it on first start).
    return reply
      .type('text/javascript')
      .send(await readFile(require.resolve('@tessera/browser/tessera.iife.js'), 'utf8'));
  });

  app.post<{ Body: { email?: string; password?: string; firstName?: string; lastName?: string } }>(
    '/api/signup',
    async (request, reply) => {
      const { email = '', password = '', firstName = '', lastName = '' } = request.body ?? {};
      if (!/^[^@\s]+@[^@\s]+$/.test(email) || password.length < 8 || !firstName || !lastName) {
        return reply
          .code(400)
          .send({ error: 'Enter your name, an email address and a password of at least 8 characters.' });
      }
      if (users.findByEmail(email))
        return reply.code(409).send({ error: 'That email already has an account: log in.' });
      const user = await users.create({ email, password, firstName, lastName });
      // The guide's backend step: create the user account in Tessera with the private key.
      await tessera.identify(user.uid, { firstName, lastName, email: user.email });
      tessera.track('Signed Up', user.uid, { plan: 'free' });
      return reply.code(201).send({ uid: user.uid });
    },
  );

  app.post<{ Body: { email?: string; password?: string; tokenLifetime?: string } }>(
    '/api/login',
    async (request, reply) => {
      const { email = '', password = '', tokenLifetime = 'long' } = request.body ?? {};
      const user = users.findByEmail(email);
      if (!user || !(await users.checkPassword(user, password))) {
        return reply.code(401).send({ error: 'Wrong email or password.' });
      }
      const lifetime = lifetimes[tokenLifetime] ?? '7d';
      const sessionId = sessions.create({ uid: user.uid, tokenLifetime: lifetime });
      const token = tessera.generateIdentityToken(user.uid, { expiresIn: lifetime });
      return reply
        .header('set-cookie', sessionCookie(sessionId))
        .send({ uid: user.uid, firstName: user.firstName, token });
    },
  );

  // The page's identityTokenProvider: a fresh token for the logged-in user.
  app.get('/api/identity-token', async (request, reply) => {
    const session = sessions.get(request.headers.cookie);
    if (!session) return reply.code(401).send({ error: 'Not logged in.' });
    return { token: tessera.generateIdentityToken(session.uid, { expiresIn: session.tokenLifetime }) };
  });

  app.get('/api/me', async (request, reply) => {
    const session = sessions.get(request.headers.cookie);
    const user = session && users.findByUid(session.uid);
    if (!user) return reply.code(401).send({ error: 'Not logged in.' });
    return { uid: user.uid, firstName: user.firstName, email: user.email };
  });

  app.post('/api/logout', async (request, reply) => {
    sessions.destroy(request.headers.cookie);
    return reply.header('set-cookie', sessionCookie(undefined)).send({ ok: true });
  });

  return app;
}
