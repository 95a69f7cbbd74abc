/**
 * Builds a Tessera server: database (migrated), services, and the Fastify app with every API.
 * @example
 *   const server = await createServer({ databaseUrl: 'memory://', adminToken: 'a-long-admin-token' });
 *   const res = await server.app.inject({ method: 'GET', url: '/healthz' });
 *   await server.close();
 */
import { randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import { Limits } from '@tessera/protocol';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { loadConfig, type Config, type ConfigOverrides } from './config.ts';
import { ErrorCode, TesseraError } from './errors.ts';
import { adminApi } from './http/admin/index.ts';
import { corsOptions } from './http/cors.ts';
import { dashboardStatic } from './http/dashboard-static.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { parseEveryBodyAsJson } from './http/json-body.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { createRateLimits } from './http/rate-limits.ts';
import { genReqId, logRedactPaths, requestIdHeader, requestLog } from './http/request-log.ts';
import { graphqlRoutes } from './http/graphql/index.ts';
import { dashxResolvers } from './http/graphql-resolvers.ts';
import { backendApi } from './http/v1/backend-routes.ts';
import { ingestApi } from './http/v1/ingest-routes.ts';
import { healthRoutes } from './http/health.ts';
import { watchQueueDepth } from './metrics/registry.ts';
import { bootstrap, type FirstStart } from './services/installation/bootstrap.ts';
import { createServices, type Services } from './services/index.ts';
import { LoadShedder } from './services/load-shedder.ts';
import { writeControlFile } from './storage/control-file.ts';
import type { Database } from './storage/database.ts';
import type { MigrationResult } from './storage/migrate.ts';
import { openDatabase } from './storage/open.ts';
import { sampleEventLoopLag, type EventLoopLag } from './util/event-loop-lag.ts';
import type { TrustProxy } from './trust-proxy.ts';
import { serverVersion } from './version.ts';

/** Where logs go: stdout, stderr, or a stream of JSON lines (tests capture logs with one). */
export type LogDestination = 'stdout' | 'stderr' | { write(line: string): void };

export interface ServerOptions extends ConfigOverrides {
  /** A ready configuration; when absent it is loaded from the environment and the overrides. */
  config?: Config;
  /** Log (JSON lines). Default true; tests pass false. */
  logger?: boolean;
  /** Where logs go. Default stdout; the `tessera` command's in-process server logs to stderr. */
  logDestination?: LogDestination;
  /**
   * Create the first environments on an empty database now. Default true. `tessera serve` passes
   * false and calls `bootstrap` once it listens, so a server that cannot bind creates nothing;
   * the other commands never create them.
   */
  bootstrap?: boolean;
}

export interface TesseraServer {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: Database;
  readonly services: Services;
  /** What the first start created (keys to print once), or undefined. */
  readonly firstStart: FirstStart | undefined;
  /**
   * This process's own admin credential: random, kept in memory and, while listening on an
   * embedded database, in its control file (storage/control-file.ts). Accepted from this machine only.
   */
  readonly localToken: string;
  /** Starts listening; resolves with the base URL (with TESSERA_BASE_PATH, if set). */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes the database. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function createServer(options: ServerOptions = {}): Promise<TesseraServer> {
  const {
    config: given,
    logger = true,
    logDestination = 'stdout',
    bootstrap: firstStartNow = true,
    ...overrides
  } = options;
  const config = given ?? loadConfig(overrides);
  let migratedAtStart: MigrationResult | undefined;
  const db = await openDatabase(config.databaseUrl, {
    onMigrated: (result) => (migratedAtStart = result),
    postgres: { maxConnections: config.dbPoolSize, timeoutMs: config.dbStatementTimeoutMs },
  });
  // Sampled only when its bound is on (TESSERA_MAX_EVENT_LOOP_LAG_MS=off: no timer at all), and
  // only once the server is ready: the work of starting (migrations, the first start, building
  // the app) is not lag its first clients should be refused for.
  let lag: EventLoopLag | undefined;
  const lagSource = {
    get lagMs() {
      return lag?.lagMs ?? 0;
    },
  };
  try {
    const { maxQueuedEvents, maxEventLoopLagMs } = config;
    const load = new LoadShedder({ maxQueuedEvents, maxEventLoopLagMs }, lagSource);
    const services = createServices(db, migratedAtStart ? { migratedAtStart, load } : { load });
    const firstStart = firstStartNow ? await bootstrap(db, services.environments) : undefined;
    // Preflights answer from every environment's allowed origins: known before the first request.
    await services.origins.refresh();
    const localToken = randomBytes(32).toString('base64url');
    const app = buildApp(config, services, db, { logger, logDestination, localToken });
    await app.ready();
    if (maxEventLoopLagMs > 0) lag = sampleEventLoopLag();

    let control: { remove(): void } | undefined;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // First, so no new command is sent to a server on its way out.
        control?.remove();
        await app.close();
        lag?.stop();
        await db.close();
      })());
    return {
      app,
      config,
      db,
      services,
      firstStart,
      localToken,
      async listen() {
        await bind(app, config);
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        // The base URL includes TESSERA_BASE_PATH: every route lives under it.
        const url = `http://${connectableHost(config.host)}:${port}${config.basePath}`;
        if (db.dataDir !== undefined) {
          control = writeControlFile(db.dataDir, {
            pid: process.pid,
            url,
            token: localToken,
            version: serverVersion(),
          });
        }
        return url;
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (err) {
    lag?.stop();
    await db.close();
    throw err;
  }
}

/** Listens, turning the usual failures into one line that names the setting to change. */
async function bind(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') {
      throw new TesseraError(
        ErrorCode.CONFLICT,
        `Port ${config.port} is already in use on ${config.host} (PORT / --port): stop what listens there, or choose another port (0 picks a free one)`,
        { cause: err },
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new TesseraError(
        ErrorCode.INVALID_INPUT,
        `Not allowed to listen on ${where} (PORT / --port): ports below 1024 need privileges; choose a higher port`,
        { cause: err },
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EINVAL') {
      throw new TesseraError(
        ErrorCode.INVALID_INPUT,
        `Cannot listen on ${config.host} (HOST / --host): it is not an address of this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`,
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * TESSERA_TRUST_PROXY as Fastify's `trustProxy`. Fastify ignores a bare hop count (it cannot tell a
 * proxy from a client), so a count becomes "trust the nearest N hops", as the setting promises.
 */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

/** Where a client on this machine reaches a server listening on `host`. */
function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function buildApp(
  config: Config,
  services: Services,
  db: Database,
  options: { logger: boolean; logDestination: LogDestination; localToken: string },
): FastifyInstance {
  const app = Fastify({
    logger: options.logger && {
      level: config.logLevel,
      redact: logRedactPaths,
      ...(options.logDestination === 'stderr'
        ? { stream: process.stderr }
        : typeof options.logDestination === 'object'
          ? { stream: options.logDestination }
          : {}),
    },
    // Fastify's own two lines per request (with headers) stay off; http/request-log.ts logs one.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId,
    requestIdHeader: false,
    bodyLimit: Limits.maxBodyBytes,
    // On close, drop idle keep-alive sockets at once; in-flight requests still finish.
    forceCloseConnections: 'idle',
    // Slow or half-sent requests are shed: headers and whole requests have a deadline, checked
    // every second or so; idle keep-alive sockets close after Fastify's default 72 s.
    requestTimeout: config.httpRequestTimeoutMs,
    http: {
      headersTimeout: config.httpHeadersTimeoutMs,
      requestTimeout: config.httpRequestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, config.httpHeadersTimeoutMs),
    },
    trustProxy: fastifyTrustProxy(config.trustProxy),
  });
  installErrorHandler(app);
  requestIdHeader(app);
  const limits = createRateLimits(
    config.rateLimit
      ? { perKey: config.rateLimitPerKey, perIp: config.rateLimitPerIp, admin: config.rateLimitAdmin }
      : undefined,
  );
  if (options.logger && config.requestLog) requestLog(app);
  if (config.metrics) {
    const { metricsToken: token, basePath } = config;
    metricsRoute(app, { token, basePath, connections: () => db.connections() });
    const unwatch = watchQueueDepth(() => services.load.queuedEvents);
    app.addHook('onClose', (_app, done) => {
      unwatch();
      done();
    });
  }
  parseEveryBodyAsJson(app);
  // Per-environment allowed origins for the SDK-facing APIs; `*` elsewhere (http/cors.ts).
  void app.register(cors, corsOptions(services.origins, config.basePath));
  app.addHook('onClose', () => services.origins.settled());
  // Every API and the dashboard live under TESSERA_BASE_PATH (none by default).
  void app.register(
    async (routes) => {
      healthRoutes(
        routes,
        async () => void (await db.query('SELECT 1')),
        () => services.load.overload(),
      );
      void routes.register(graphqlRoutes({ resolvers: dashxResolvers(services, limits) }));
      void routes.register(ingestApi(services, limits));
      void routes.register(backendApi(services), { prefix: '/v1' });
      void routes.register(
        async (admin) => {
          admin.addHook('onRequest', limits.admin);
          await admin.register(adminApi(services, { adminToken: config.adminToken, localToken: options.localToken }));
        },
        { prefix: '/admin/api' },
      );
      void routes.register(dashboardStatic({ basePath: config.basePath }));
    },
    { prefix: config.basePath },
  );
  return app;
}
