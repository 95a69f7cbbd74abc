/**
 * Liveness (`/healthz`: the process is up) and readiness (`/readyz`: the database answers and the
 * server is not shedding load). Neither is ever shed itself.
 */
import type { FastifyInstance } from 'fastify';
import { SHED_RETRY_AFTER_SECONDS, type Overload } from '../services/load-shedder.ts';

/** Resolves when the database answers a query; rejects when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** Why ingest is being shed now, or undefined (services/load-shedder.ts). */
export type OverloadCheck = () => Overload | undefined;

export function healthRoutes(
  app: FastifyInstance,
  ready: ReadinessCheck,
  overload: OverloadCheck = () => undefined,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // First, and without a query: an overloaded server may be waiting on a database that hangs.
    const shedding = overload();
    if (shedding !== undefined) {
      return reply
        .code(503)
        .header('Retry-After', String(SHED_RETRY_AFTER_SECONDS))
        .send({
          status: 'overloaded',
          ...shedding,
          error: { code: 'UNAVAILABLE', message: `The server sheds load (${shedding.reason})` },
        });
    }
    try {
      await ready();
      return { status: 'ok' };
    } catch {
      return reply
        .code(503)
        .header('Retry-After', '5')
        .send({
          error: { code: 'UNAVAILABLE', message: 'The database is unavailable' },
        });
    }
  });
}
