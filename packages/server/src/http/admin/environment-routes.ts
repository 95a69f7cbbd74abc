/** Admin API: environments (their key pairs: key-routes.ts). */
import type { FastifyInstance } from 'fastify';
import type { EnvironmentChanges } from '../../services/environments.ts';
import type { Services } from '../../services/index.ts';
import { presentEnvironment, presentKeyPair } from './presenters.ts';

const verification = { type: 'string', enum: ['required', 'optional'] } as const;
/** Shapes only: services/allowed-origins.ts and environments.ts check the values, with clear messages. */
const settings = {
  identityVerification: verification,
  allowLegacyTokens: { type: 'boolean' },
  // null or []: any origin.
  allowedOrigins: { type: ['array', 'null'], items: { type: 'string' } },
  // null: the server-wide TESSERA_RATE_LIMIT_PER_KEY.
  rateLimitPerKey: { type: ['number', 'null'] },
} as const;
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

  app.post<{ Body: { name: string } & EnvironmentChanges }>(
    '/environments',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, ...settings },
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

  app.patch<{ Params: { name: string }; Body: EnvironmentChanges }>(
    '/environments/:name',
    {
      schema: {
        params: nameParam,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settings },
      },
    },
    async (request) => presentEnvironment(await environments.update(request.params.name, request.body)),
  );
}
