/** Admin API: environments (their key pairs: key-routes.ts). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { presentEnvironment, presentKeyPair } from './presenters.ts';

const verification = { type: 'string', enum: ['required', 'optional'] } as const;
export const nameParam = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
} as const;

export function environmentRoutes(app: FastifyInstance, { environments }: Services): void {
  app.get('/environments', async () => {
    const list = await environments.list();
    return {
      environments: await Promise.all(list.map(async (e) => presentEnvironment(e, await environments.keyPairs(e.id)))),
    };
  });

  app.post<{ Body: { name: string; identityVerification?: 'required' | 'optional'; allowLegacyTokens?: boolean } }>(
    '/environments',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            identityVerification: verification,
            allowLegacyTokens: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      const { name, ...settings } = request.body;
      const { environment, keyPair } = await environments.create(name, settings);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          ...presentEnvironment(environment),
          keyPair: presentKeyPair(keyPair, { withPrivateKey: true }),
        });
    },
  );

  app.get<{ Params: { name: string } }>('/environments/:name', { schema: { params: nameParam } }, async (request) => {
    const env = await environments.get(request.params.name);
    return presentEnvironment(env, await environments.keyPairs(env.id));
  });

  app.patch<{
    Params: { name: string };
    Body: { identityVerification?: 'required' | 'optional'; allowLegacyTokens?: boolean };
  }>(
    '/environments/:name',
    {
      schema: {
        params: nameParam,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { identityVerification: verification, allowLegacyTokens: { type: 'boolean' } },
        },
      },
    },
    async (request) => presentEnvironment(await environments.update(request.params.name, request.body)),
  );
}
