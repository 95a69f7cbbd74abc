/** Admin API: the dashboard's operator accounts (list, create, replace a password). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { presentOperator } from './presenters.ts';

const email = { type: 'string', maxLength: 254 } as const;
const password = { type: 'string', maxLength: 1024 } as const;

export function operatorRoutes(app: FastifyInstance, { operators }: Services): void {
  app.get('/operators', async () => ({ operators: (await operators.list()).map(presentOperator) }));

  app.post<{ Body: { email: string; password: string } }>(
    '/operators',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: { email, password },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentOperator(await operators.create(request.body.email, request.body.password))),
  );

  // Ends the operator's sessions: whoever knew the old password is signed out.
  app.put<{ Params: { email: string }; Body: { password: string } }>(
    '/operators/:email/password',
    {
      schema: {
        params: { type: 'object', required: ['email'], properties: { email } },
        body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password } },
      },
    },
    async (request) => presentOperator(await operators.setPassword(request.params.email, request.body.password)),
  );
}
