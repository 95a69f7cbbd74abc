/** Admin API authentication: `Authorization: Bearer $TESSERA_ADMIN_TOKEN`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.ts';

export function adminAuthenticator(adminToken: string | undefined) {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const expected = adminToken === undefined ? undefined : sha256(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    if (expected === undefined) {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        'The admin API is disabled: start the server with TESSERA_ADMIN_TOKEN set to use it',
      );
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw new TesseraError(ErrorCode.UNAUTHORIZED, 'Send Authorization: Bearer <admin token>');
    if (!timingSafeEqual(sha256(match[1]), expected)) {
      throw new TesseraError(ErrorCode.UNAUTHORIZED, 'The admin token is not valid');
    }
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
