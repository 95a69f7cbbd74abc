/** Liveness (`/healthz`: the process is up) and readiness (`/readyz`: the database answers). */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../storage/database.ts';

export function healthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
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
