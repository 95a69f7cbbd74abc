/**
 * Admin API: the live event feed. The dashboard polls `GET /environments/:name/live?after=CURSOR`;
 * each answer carries the cursor for the next poll.
 */
import type { FastifyInstance } from 'fastify';
import { pageSize } from '../../services/cursor.ts';
import type { Services } from '../../services/index.ts';

interface LiveQuery {
  after?: string;
  name?: string;
  kind?: 'VISITOR' | 'USER';
  limit?: string;
}

export function liveRoutes(app: FastifyInstance, { environments, liveEvents }: Services): void {
  app.get<{ Params: { name: string }; Querystring: LiveQuery }>(
    '/environments/:name/live',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', pattern: '^[0-9]{0,19}$' },
            name: { type: 'string', maxLength: 200 },
            kind: { type: 'string', enum: ['VISITOR', 'USER'] },
            limit: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const env = await environments.get(request.params.name);
      const { limit, ...filter } = request.query;
      return liveEvents.poll(env.id, { ...filter, limit: pageSize(limit, 50, 200) });
    },
  );
}
