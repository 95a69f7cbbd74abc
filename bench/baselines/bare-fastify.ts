/**
 * B1: a bare Fastify POST route, started as its own process (pinned by the bench): it parses the
 * same JSON body as the GraphQL endpoint and answers what trackEvent answers. The ceiling that P1
 * is measured against. Prints `Bare Fastify listening on http://…` when ready.
 */
import Fastify from 'fastify';
import { TRACK_ANSWER } from '../workload.ts';

const app = Fastify({ logger: false, bodyLimit: 512 * 1024 });
app.post('/graphql', async (request, reply) => {
  const body = request.body as { query?: unknown } | undefined;
  if (typeof body?.query !== 'string') return reply.code(400).send({ errors: [{ message: 'no query' }] });
  return reply.type('application/json').send(TRACK_ANSWER);
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`Bare Fastify listening on ${address}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
