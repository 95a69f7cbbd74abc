/**
 * Builds a Tessera server: database (migrated), services, and the Fastify app with every API.
 * @example
 *   const server = await createServer({ databaseUrl: 'memory://', adminToken: 'a-long-admin-token' });
 *   const res = await server.app.inject({ method: 'GET', url: '/healthz' });
 *   await server.close();
 */
import cors from '@fastify/cors';
import { Limits } from '@tessera/protocol';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { loadConfig, type Config, type ConfigOverrides } from './config.ts';
import { adminApi } from './http/admin/index.ts';
import { dashboardStatic } from './http/dashboard-static.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { parseEveryBodyAsJson } from './http/json-body.ts';
import { graphqlRoutes } from './http/graphql/index.ts';
import { dashxResolvers } from './http/graphql-resolvers.ts';
import { backendApi } from './http/v1/backend-routes.ts';
import { ingestApi } from './http/v1/ingest-routes.ts';
import { healthRoutes } from './http/health.ts';
import { bootstrap, type FirstStart } from './services/bootstrap.ts';
import { createServices, type Services } from './services/index.ts';
import type { Database } from './storage/database.ts';
import { openDatabase } from './storage/open.ts';

export interface ServerOptions extends ConfigOverrides {
  /** A ready configuration; when absent it is loaded from the environment and the overrides. */
  config?: Config;
  /** Log to stdout. Default true; tests pass false. */
  logger?: boolean;
}

export interface TesseraServer {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: Database;
  readonly services: Services;
  /** What the first start created (keys to print once), or undefined. */
  readonly firstStart: FirstStart | undefined;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes the database. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function createServer(options: ServerOptions = {}): Promise<TesseraServer> {
  const { config: given, logger = true, ...overrides } = options;
  const config = given ?? loadConfig(overrides);
  const db = await openDatabase(config.databaseUrl);
  try {
    const services = createServices(db);
    const firstStart = await bootstrap(db, services.environments);
    const app = buildApp(config, services, db, logger);
    await app.ready();

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await app.close();
        await db.close();
      })());
    return {
      app,
      config,
      db,
      services,
      firstStart,
      async listen() {
        await app.listen({ port: config.port, host: config.host });
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        const host = config.host.includes(':') ? `[${config.host}]` : config.host;
        return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

function buildApp(config: Config, services: Services, db: Database, logger: boolean): FastifyInstance {
  const app = Fastify({
    logger: logger && {
      level: config.logLevel,
      redact: [
        'req.headers["x-private-key"]',
        'req.headers["x-identity-token"]',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
    },
    // Per-request log lines would cost more than the ingest itself; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: Limits.maxBodyBytes,
    // On close, drop idle keep-alive sockets at once; in-flight requests still finish.
    forceCloseConnections: 'idle',
  });
  installErrorHandler(app);
  parseEveryBodyAsJson(app);
  void app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'x-public-key', 'x-target-environment', 'x-identity-token', 'accept'],
    // Browser SDKs honour Retry-After on 429/503: let them read it across origins.
    exposedHeaders: ['retry-after'],
    maxAge: 86_400,
  });
  healthRoutes(app, async () => void (await db.query('SELECT 1')));
  void app.register(graphqlRoutes({ resolvers: dashxResolvers(services) }));
  void app.register(ingestApi(services));
  void app.register(backendApi(services), { prefix: '/v1' });
  void app.register(adminApi(services, config.adminToken), { prefix: '/admin/api' });
  void app.register(dashboardStatic());
  return app;
}
