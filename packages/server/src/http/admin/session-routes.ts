/**
 * Dashboard sign-in under /admin/api/session, reachable without credentials:
 * `GET /session` (who is signed in, is setup needed, the CSRF token), `POST /session/setup` (the
 * one-time creation of the first operator), `POST /session` (sign in, throttled), `DELETE /session`.
 */
import { ErrorCode } from '@tessera/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.ts';
import type { Services } from '../../services/index.ts';
import type { Operator } from '../../services/operators.ts';
import { isCrossSite } from './auth.ts';
import { SESSION_COOKIE, readCookie, setSessionCookie } from './cookies.ts';

interface Credentials {
  email: string;
  password: string;
}

const credentials = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', maxLength: 254 }, password: { type: 'string', maxLength: 1024 } },
} as const;

const presentOperator = (o: Operator) => ({ id: o.id, email: o.email, lastLoginAt: o.lastLoginAt });

export function sessionRoutes(app: FastifyInstance, { operators }: Services): void {
  // Sign-in forms are only ever posted by the dashboard itself: a page of another site that tries
  // (login CSRF) is refused.
  const sameSiteOnly = async (request: FastifyRequest) => {
    if (isCrossSite(request)) throw new TesseraError(ErrorCode.FORBIDDEN, 'Cross-site requests are refused');
  };

  const signIn = async (request: FastifyRequest, reply: FastifyReply, email: string, password: string) => {
    const { token, session } = await operators.signIn(email, password, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    setSessionCookie(request, reply, token, operators.sessionTtlSeconds);
    return { operator: presentOperator(session.operator), csrfToken: operators.csrfToken(token) };
  };

  app.get('/session', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const token = readCookie(request, SESSION_COOKIE);
    const session = token === undefined ? undefined : await operators.authenticate(token);
    if (session && token !== undefined) {
      return {
        operator: presentOperator(session.operator),
        csrfToken: operators.csrfToken(token),
        setupRequired: false,
      };
    }
    return { operator: null, setupRequired: (await operators.count()) === 0 };
  });

  app.post<{ Body: Credentials }>(
    '/session/setup',
    { schema: { body: credentials }, onRequest: sameSiteOnly },
    async (request, reply) => {
      await operators.setup(request.body.email, request.body.password);
      return reply.code(201).send(await signIn(request, reply, request.body.email, request.body.password));
    },
  );

  app.post<{ Body: Credentials }>(
    '/session',
    { schema: { body: credentials }, onRequest: sameSiteOnly },
    async (request, reply) => signIn(request, reply, request.body.email, request.body.password),
  );

  app.delete('/session', { onRequest: sameSiteOnly }, async (request, reply) => {
    const token = readCookie(request, SESSION_COOKIE);
    if (token !== undefined) {
      const csrf = request.headers['x-tessera-csrf'];
      if (!operators.checkCsrf(token, typeof csrf === 'string' ? csrf : undefined)) {
        throw new TesseraError(ErrorCode.FORBIDDEN, 'Missing or wrong X-Tessera-CSRF header; reload the dashboard');
      }
      await operators.signOut(token);
    }
    setSessionCookie(request, reply, '', 0);
    return reply.code(204).send();
  });
}
