/** The dashboard's cookies: the HttpOnly session cookie, read and written without a plugin. */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** `__Host-` would pin Secure + Path=/, but local http://127.0.0.1 installations cannot use Secure. */
export const SESSION_COOKIE = 'tessera_session';

/** The value of one cookie of the request, or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Sets (or, with `maxAgeSeconds` 0, clears) the session cookie: HttpOnly (scripts cannot read it),
 * SameSite=Strict (other sites' pages never send it), Secure whenever the request came over https.
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number) {
  const attributes = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  // Behind a TLS-terminating proxy the request itself is http: `request.protocol` follows the
  // proxy's X-Forwarded-Proto only when TESSERA_TRUST_PROXY trusts that proxy.
  if (request.protocol === 'https') attributes.push('Secure');
  void reply.header('set-cookie', attributes.join('; '));
}
