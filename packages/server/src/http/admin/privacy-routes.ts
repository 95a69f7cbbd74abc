/** Admin API: export one person's data as JSON, and delete a person for good. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';

export function privacyRoutes(app: FastifyInstance, { environments, privacy }: Services): void {
  app.get<{ Params: { name: string; id: string } }>(
    '/environments/:name/accounts/:id/export',
    async (request, reply) => {
      const env = await environments.get(request.params.name);
      const doc = await privacy.exportAccount(env.id, request.params.id);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="account-${doc.account.id}.json"`)
        .send(doc);
    },
  );

  app.delete<{ Params: { name: string; id: string } }>('/environments/:name/accounts/:id', async (request) => {
    const env = await environments.get(request.params.name);
    return privacy.deleteAccount(env.id, request.params.id);
  });
}
