/**
 * One table from errors to HTTP answers: TesseraError codes map through `httpStatusOf`, Fastify's
 * own client errors keep their 4xx status, an unreachable database is a 503 with Retry-After, and
 * anything else is a masked 500 whose details only reach the log.
 */
import { ErrorCode, httpStatusOf, type ErrorBody } from '@tessera/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError, isTesseraError } from '../errors.ts';
import { isDatabaseUnavailable } from '../util/database-errors.ts';

/** Seconds a client should wait before retrying when the database is unreachable. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Turns any thrown value into the TesseraError a client may see. */
export function toClientError(err: unknown): TesseraError {
  if (isTesseraError(err)) return err;
  if (isDatabaseUnavailable(err)) {
    return new TesseraError(ErrorCode.UNAVAILABLE, 'The database is unavailable; retry later', {
      cause: err,
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
  }
  if (err instanceof SyntaxError) return new TesseraError(ErrorCode.INVALID_INPUT, 'The body is not valid JSON');
  const fastifyError = err as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new TesseraError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return new TesseraError(ErrorCode.INVALID_INPUT, 'Send the body as JSON');
    }
    const message = fastifyError.validation
      ? `Invalid request: ${fastifyError.message}`
      : fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The request body is empty; send a JSON object'
        : `Invalid request: ${fastifyError.message ?? 'bad input'}`;
    return new TesseraError(ErrorCode.INVALID_INPUT, message, { cause: err });
  }
  return new TesseraError(ErrorCode.INTERNAL, 'Internal server error', { cause: err });
}

export function sendError(reply: FastifyReply, error: TesseraError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.reason) body.error.reason = error.reason;
  body.error.requestId = reply.request.id;
  return reply.code(httpStatusOf[error.code]).type('application/json').send(body);
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const error = toClientError(err);
    if (error.code === ErrorCode.INTERNAL) request.log.error({ err }, 'request failed');
    else if (error.code === ErrorCode.UNAVAILABLE) request.log.warn({ err }, 'database unavailable');
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new TesseraError(ErrorCode.NOT_FOUND, `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
