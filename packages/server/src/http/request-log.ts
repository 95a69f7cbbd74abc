/**
 * Request ids and the per-request log line. Every answer carries `X-Request-Id`: the caller's own
 * when it is sane (a proxy's or a client's, so one id follows a request across systems), a new one
 * otherwise. With request logging on, each completed request logs one `info` line with its
 * method, route pattern, status, duration and id; headers and bodies are never logged.
 * @example
 *   Fastify({ genReqId, requestIdHeader: false, requestIdLogLabel: 'requestId' });
 *   requestIdHeader(app); requestLog(app);
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

const MAX_REQUEST_ID_LENGTH = 128;
/** Printable ASCII without spaces: safe in a header, a log line and a JSON string. */
const SANE_REQUEST_ID = /^[\x21-\x7e]+$/;

/** An incoming `X-Request-Id` when sane (≤ 128 printable ASCII characters, no spaces), else a new UUID. */
export function genReqId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && given.length <= MAX_REQUEST_ID_LENGTH && SANE_REQUEST_ID.test(given)) {
    return given;
  }
  return randomUUID();
}

/** Echoes the request id on every answer, errors and 404s included. */
export function requestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}

/** One `info` line per completed request (the request id comes from the request's logger). */
export function requestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    done();
  });
}

/**
 * What pino blanks out wherever it would appear: credentials in request and response headers,
 * and secret fields of logged objects (an error's context, a body) up to two levels deep.
 */
export const logRedactPaths: string[] = [
  ...['x-private-key', 'x-public-key', 'x-identity-token', 'authorization', 'cookie', 'set-cookie'].flatMap(
    (header) => [`req.headers["${header}"]`, `res.headers["${header}"]`, `headers["${header}"]`],
  ),
  ...['password', 'token', 'identityToken', 'privateKey', 'secret', 'adminToken'].flatMap((field) => [
    field,
    `*.${field}`,
    `*.*.${field}`,
  ]),
];
