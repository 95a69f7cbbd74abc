/**
 * Admin API: key pairs (create, import, revoke, reveal) and identity tokens minted with them.
 * Answers that carry a private key are never cached.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { nameParam } from './environment-routes.ts';
import { presentKeyPair } from './presenters.ts';

const expiresAt = { type: 'string', format: 'date-time' } as const;

export function keyRoutes(app: FastifyInstance, { environments, identityTokens }: Services): void {
  app.post<{ Params: { name: string }; Body: { expiresAt?: string } | undefined }>(
    '/environments/:name/key-pairs',
    {
      schema: {
        params: nameParam,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { expiresAt } },
      },
    },
    async (request, reply) => {
      const expiry = request.body?.expiresAt;
      const pair = await environments.addKeyPair(request.params.name, {
        ...(expiry ? { expiresAt: new Date(expiry) } : {}),
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(presentKeyPair(pair, { withPrivateKey: true }));
    },
  );

  app.post<{ Params: { name: string }; Body: { publicKey: string; privateKey: string; expiresAt?: string } }>(
    '/environments/:name/key-pairs/import',
    {
      schema: {
        params: nameParam,
        body: {
          type: 'object',
          required: ['publicKey', 'privateKey'],
          additionalProperties: false,
          properties: {
            publicKey: { type: 'string', maxLength: 255 },
            privateKey: { type: 'string', maxLength: 255 },
            expiresAt,
          },
        },
      },
    },
    async (request, reply) => {
      const { publicKey, privateKey, expiresAt: expiry } = request.body;
      const pair = await environments.addKeyPair(request.params.name, {
        keys: { publicKey, privateKey },
        ...(expiry ? { expiresAt: new Date(expiry) } : {}),
      });
      // The caller has the private key already: it is not echoed.
      return reply.code(201).send(presentKeyPair(pair));
    },
  );

  // A POST, not a GET: a read that hands out secrets must not be prefetched, cached or replayed
  // from history, and with a session cookie it needs the CSRF header like any change.
  app.post<{ Params: { name: string } }>(
    '/environments/:name/key-pairs/reveal',
    { schema: { params: nameParam } },
    async (request, reply) => {
      const { environment, keyPairs } = await environments.revealKeyPairs(request.params.name);
      return reply.header('cache-control', 'no-store').send({
        environment: environment.name,
        keyPairs: keyPairs.map((p) => presentKeyPair(p, { withPrivateKey: true })),
      });
    },
  );

  app.delete<{ Params: { publicKey: string } }>('/key-pairs/:publicKey', async (request) =>
    presentKeyPair(await environments.revokeKeyPair(request.params.publicKey)),
  );

  app.post<{ Params: { name: string }; Body: { uid: string; expiresIn?: string } }>(
    '/environments/:name/identity-tokens',
    {
      schema: {
        params: nameParam,
        body: {
          type: 'object',
          required: ['uid'],
          additionalProperties: false,
          properties: { uid: { type: 'string', maxLength: 255 }, expiresIn: { type: 'string', maxLength: 20 } },
        },
      },
    },
    async (request, reply) => {
      const minted = await identityTokens.mint(request.params.name, request.body.uid, request.body.expiresIn);
      return reply.code(201).header('cache-control', 'no-store').send(minted);
    },
  );
}
