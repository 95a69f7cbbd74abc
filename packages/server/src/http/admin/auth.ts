/**
 * Admin API authentication: `Authorization: Bearer $TESSERA_ADMIN_TOKEN` (automation), compared in
 * constant time, or a dashboard session cookie. Cookie-authenticated requests that change state
 * must also carry `X-Tessera-CSRF` (the session's CSRF token), and cross-site requests are refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.ts';
import type { Operator, OperatorService } from '../../services/operators.ts';
import { SESSION_COOKIE, readCookie } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const operators = new WeakMap<FastifyRequest, Operator>();

/** The operator whose session authenticated the request; undefined for the bearer token. */
export function operatorOf(request: FastifyRequest): Operator | undefined {
  return operators.get(request);
}

/** A request sent by a page of another site (browsers set `Sec-Fetch-Site`). */
export function isCrossSite(request: FastifyRequest): boolean {
  return request.headers['sec-fetch-site'] === 'cross-site';
}

export function adminAuthenticator(adminToken: string | undefined, sessions?: OperatorService) {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const expected = adminToken === undefined ? undefined : sha256(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const sessionToken = sessions && header === undefined ? readCookie(request, SESSION_COOKIE) : undefined;
    if (sessions && sessionToken !== undefined) {
      const session = await sessions.authenticate(sessionToken);
      if (!session) throw new TesseraError(ErrorCode.UNAUTHORIZED, 'Your session has ended: sign in again');
      if (isCrossSite(request)) throw new TesseraError(ErrorCode.FORBIDDEN, 'Cross-site requests are refused');
      const csrf = request.headers['x-tessera-csrf'];
      if (
        !SAFE_METHODS.has(request.method) &&
        !sessions.checkCsrf(sessionToken, typeof csrf === 'string' ? csrf : undefined)
      ) {
        throw new TesseraError(ErrorCode.FORBIDDEN, 'Missing or wrong X-Tessera-CSRF header; reload the dashboard');
      }
      operators.set(request, session.operator);
      return;
    }
    if (expected === undefined) {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        header === undefined && sessions
          ? 'Sign in to the dashboard first'
          : 'The admin API token is disabled: start the server with TESSERA_ADMIN_TOKEN set to use it',
      );
    }
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        'Sign in to the dashboard, or send Authorization: Bearer <admin token>',
      );
    }
    if (!timingSafeEqual(sha256(match[1]), expected)) {
      throw new TesseraError(ErrorCode.UNAUTHORIZED, 'The admin token is not valid');
    }
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
