/** Starts a real Tessera server on a fresh test database, for in-process tests with inject(). */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ConfigOverrides } from '../../src/config.ts';
import { createServer, type TesseraServer } from '../../src/server.ts';
import { createTestDatabase } from './database.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer extends TesseraServer {
  /** Calls the admin API with the admin token; parses the JSON answer. */
  admin(method: InjectOptions['method'], url: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The first-start environment `production` with its keys. */
  production: { name: string; publicKey: string; privateKey: string };
  staging: { name: string; publicKey: string; privateKey: string };
}

/** @param overrides further settings, e.g. `{ trustProxy: '10.0.0.0/8' }`. */
export async function startTestServer(overrides: ConfigOverrides = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  // Port 0: test files run in parallel, each listens (when it does) on a free port.
  const server = await createServer({
    databaseUrl: database.url,
    adminToken: ADMIN_TOKEN,
    logger: false,
    port: 0,
    // Shedding on event-loop lag answers 503 whenever this shared machine stalls a test worker for
    // a moment: off here; the tests of back-pressure turn it on (or set their own bounds).
    maxEventLoopLagMs: 'off',
    ...overrides,
  });
  const env = (name: string) => {
    const created = server.firstStart?.environments.find((e) => e.environment.name === name);
    if (!created) throw new Error(`first start did not create ${name}`);
    return { name, publicKey: created.keyPair.publicKey, privateKey: created.keyPair.privateKey };
  };
  const closeServer = server.close;
  const close = async () => {
    await closeServer();
    await database.drop();
  };
  return Object.assign(server, {
    production: env('production'),
    staging: env('staging'),
    close,
    [Symbol.asyncDispose]: close,
    async admin(method: InjectOptions['method'], url: string, body?: unknown) {
      const res: LightMyRequestResponse = await server.app.inject({
        method,
        url: `/admin/api${url}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body) };
    },
  });
}
