/** Liveness (`/healthz`: the process is up) and readiness (`/readyz`: the database answers). */
import type { FastifyInstance } from 'fastify';

/** Resolves when the database answers a query; rejects when it does not. */
export type ReadinessCheck = () => Promise<void>;

export function healthRoutes(app: FastifyInstance, ready: ReadinessCheck): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
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
