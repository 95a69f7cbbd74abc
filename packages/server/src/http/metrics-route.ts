/**
 * `GET /metrics` in Prometheus's text format, and the hook that counts every answered request.
 * Registered only when metrics are on: with `TESSERA_METRICS=off` there is neither a route nor a
 * hook, so a request pays nothing for them.
 * @example
 *   metricsRoute(app, { token: config.metricsToken, connections: () => db.connections(), basePath: '' });
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ErrorCode, TesseraError } from '../errors.ts';
import {
  enableMetrics,
  metricsContentType,
  recordHttpRequest,
  watchPool,
  type PoolStats,
} from '../metrics/registry.ts';
import { sendError } from './error-handler.ts';

/** The route label of requests that matched no route: never the raw URL (unbounded). */
const UNMATCHED = 'unmatched';

export interface MetricsRouteOptions {
  /** The bearer token the route requires, if any. */
  token: string | undefined;
  /** The database's connections, read on each scrape. */
  connections: () => PoolStats;
  /** TESSERA_BASE_PATH: the route is `${basePath}/metrics`. */
  basePath: string;
}

export function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const registry = enableMetrics();
  const unwatch = watchPool(options.connections);
  app.addHook('onClose', (_app, done) => {
    unwatch();
    done();
  });
  const expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);

  // onResponse runs after the answer is sent: it adds nothing to the client's latency.
  app.addHook('onResponse', (request, reply, done) => {
    recordHttpRequest(
      request.method,
      request.routeOptions.url ?? UNMATCHED,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get(`${options.basePath}/metrics`, async (request, reply) => {
    if (expected !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        reply.header('www-authenticate', 'Bearer');
        return sendError(
          reply,
          new TesseraError(ErrorCode.UNAUTHORIZED, 'GET /metrics needs Authorization: Bearer <TESSERA_METRICS_TOKEN>'),
        );
      }
    }
    const text = await registry.metrics();
    return reply.type(metricsContentType).header('cache-control', 'no-store').send(text);
  });
}
