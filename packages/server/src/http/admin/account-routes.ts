/** Admin API: accounts, their identities and timelines. */
import type { FastifyInstance } from 'fastify';
import { pageSize } from '../../services/cursor.ts';
import type { Services } from '../../services/index.ts';

interface AccountQuery {
  uid?: string;
  anonymousUid?: string;
  q?: string;
  kind?: 'VISITOR' | 'USER';
  verified?: 'true' | 'false';
  hasMerges?: 'true' | 'false';
  cursor?: string;
  limit?: string;
}

export function accountRoutes(app: FastifyInstance, { environments, accountReads }: Services): void {
  app.get<{ Params: { name: string }; Querystring: AccountQuery }>(
    '/environments/:name/accounts',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            uid: { type: 'string' },
            anonymousUid: { type: 'string' },
            q: { type: 'string', maxLength: 255 },
            kind: { type: 'string', enum: ['VISITOR', 'USER'] },
            verified: { type: 'string', enum: ['true', 'false'] },
            hasMerges: { type: 'string', enum: ['true', 'false'] },
            cursor: { type: 'string' },
            limit: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const env = await environments.get(request.params.name);
      const { limit, verified, hasMerges, ...filter } = request.query;
      const list = await accountReads.list(env.id, {
        ...filter,
        ...(verified === undefined ? {} : { verified: verified === 'true' }),
        ...(hasMerges === undefined ? {} : { hasMerges: hasMerges === 'true' }),
        limit: pageSize(limit),
      });
      // First/last seen and event counts for this page's rows only: cheap however large the table.
      const activity = await accountReads.activity(list.items.map((a) => a.id));
      return { ...list, items: list.items.map((a) => ({ ...a, ...activity.get(a.id) })) };
    },
  );

  app.get<{ Params: { name: string; id: string } }>('/environments/:name/accounts/:id', async (request) => {
    const env = await environments.get(request.params.name);
    const account = await accountReads.get(env.id, request.params.id);
    return { ...account, ...(await accountReads.identities(account)) };
  });

  app.get<{ Params: { name: string; id: string }; Querystring: { cursor?: string; limit?: string } }>(
    '/environments/:name/accounts/:id/events',
    async (request, reply) => {
      const env = await environments.get(request.params.name);
      const json = await accountReads.timelineJson(env.id, request.params.id, {
        cursor: request.query.cursor,
        limit: pageSize(request.query.limit),
      });
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
}
