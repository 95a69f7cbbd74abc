/**
 * Admin API authentication: a bearer token — `$TESSERA_ADMIN_TOKEN` (compared in constant time),
 * one of the admin tokens kept in the database (`tessera init`), or this process's own local
 * credential (the control file's, for the `tessera` command) — or a dashboard session cookie.
 * Cookie-authenticated requests that change state must also carry `X-Tessera-CSRF` (the session's
 * CSRF token), and cross-site requests are refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.ts';
import type { AdminTokenService } from '../../services/installation/admin-tokens.ts';
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

/** The bearer tokens the admin API accepts. */
export interface AdminCredentials {
  /** `TESSERA_ADMIN_TOKEN`, when set. */
  adminToken: string | undefined;
  /** This process's own random credential, accepted only from this machine (see storage/control-file.ts). */
  localToken?: string | undefined;
  /** The tokens kept (hashed) in the database. */
  tokens?: AdminTokenService | undefined;
}

/** A connection from this machine: loopback, or from one of its own addresses to itself. */
function isLocal(request: FastifyRequest): boolean {
  const { remoteAddress, localAddress } = request.raw.socket;
  if (remoteAddress === undefined) return false;
  return /^(127\.|::1$|::ffff:127\.)/.test(remoteAddress) || remoteAddress === localAddress;
}

export function adminAuthenticator(credentials: AdminCredentials, sessions?: OperatorService) {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const expected = credentials.adminToken === undefined ? undefined : sha256(credentials.adminToken);
  const local = credentials.localToken === undefined ? undefined : sha256(credentials.localToken);
  const bearerMatches = async (request: FastifyRequest, token: string): Promise<boolean> => {
    const given = sha256(token);
    if (expected !== undefined && timingSafeEqual(given, expected)) return true;
    if (local !== undefined && timingSafeEqual(given, local) && isLocal(request)) return true;
    return (await credentials.tokens?.verify(token)) ?? false;
  };
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
    if (header === undefined && sessions) {
      throw new TesseraError(ErrorCode.UNAUTHORIZED, 'Sign in to the dashboard first');
    }
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        'Sign in to the dashboard, or send Authorization: Bearer <admin token>',
      );
    }
    if (!(await bearerMatches(request, match[1]))) {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        expected === undefined
          ? 'The admin token is not valid (this server has no TESSERA_ADMIN_TOKEN; use a token `tessera init` printed)'
          : 'The admin token is not valid',
      );
    }
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
