/** Admin API: the overview statistics of an environment, for the dashboard. */
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../../errors.ts';
import type { Services } from '../../services/index.ts';

export function statsRoutes(app: FastifyInstance, { environments, stats }: Services): void {
  app.get<{ Params: { name: string }; Querystring: { days?: string } }>(
    '/environments/:name/stats',
    async (request) => {
      const days = request.query.days === undefined ? 30 : Number(request.query.days);
      if (!Number.isInteger(days) || days < 1 || days > 366)
        throw invalidInput('days must be a whole number from 1 to 366');
      const env = await environments.get(request.params.name);
      return stats.overview(env.id, days);
    },
  );
}
