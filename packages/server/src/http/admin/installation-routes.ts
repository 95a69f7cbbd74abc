/** Admin API: set up an empty installation (`tessera init`), and the server's version and schema state. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { presentEnvironment, presentKeyPair, presentOperator } from './presenters.ts';

export function installationRoutes(app: FastifyInstance, { installation, status }: Services): void {
  app.post<{ Body: { email: string; password: string; environments?: string[] } }>(
    '/init',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: {
            email: { type: 'string', maxLength: 254 },
            password: { type: 'string', maxLength: 1024 },
            environments: { type: 'array', items: { type: 'string', maxLength: 63 }, maxItems: 20 },
          },
        },
      },
    },
    async (request, reply) => {
      const done = await installation.initialize(request.body);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          adminToken: done.adminToken.token,
          operator: presentOperator(done.operator),
          environments: done.environments.map(({ environment, keyPair, created }) => ({
            ...presentEnvironment(environment),
            created,
            keyPair: presentKeyPair(keyPair, { withPrivateKey: true }),
          })),
        });
    },
  );

  app.get('/status', async (_request, reply) => reply.header('cache-control', 'no-store').send(await status.get()));
}
