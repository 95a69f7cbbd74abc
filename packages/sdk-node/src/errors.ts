/** The SDK's one error class: a closed set of string codes, the server's message, the cause kept. */
import type { ErrorCode as ServerErrorCode, IdentityTokenReason } from '@tessera/protocol';

/** Codes raised by the SDK itself; every other code is the server's (`@tessera/protocol`). */
export const ClientErrorCode = {
  /** An option is missing or invalid, or the call needs the private key and none is set. */
  CONFIGURATION: 'CONFIGURATION',
  /** The server could not be reached, or did not answer in time, after every retry. */
  NETWORK: 'NETWORK',
  /** The server's answer was not what a Tessera server sends (wrong `baseUri`?). */
  UNEXPECTED_RESPONSE: 'UNEXPECTED_RESPONSE',
  /** More events were tracked than `maxQueueSize` holds: the oldest were dropped. */
  QUEUE_FULL: 'QUEUE_FULL',
  /** The client was shut down: the call was not sent, or did not finish within the timeout. */
  SHUT_DOWN: 'SHUT_DOWN',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Every code a `TesseraError` can carry: `switch (err.code)` over it is exhaustive. */
export type TesseraErrorCode = ServerErrorCode | ClientErrorCode;

export interface TesseraErrorOptions {
  /** HTTP status of the server's answer, when there was one. */
  status?: number;
  /** Why an identity token was refused, e.g. `IDENTITY_TOKEN_EXPIRED`. */
  reason?: IdentityTokenReason;
  /** For RATE_LIMITED / UNAVAILABLE: how long the server asked to wait, in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An error from the SDK or the server.
 * @example
 * try {
 *   await tessera.identify('user-1', { email: 'ada@example.com' });
 * } catch (err) {
 *   if (isTesseraError(err) && err.code === 'UNAUTHORIZED') console.error('check your keys:', err.message);
 * }
 */
export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: TesseraErrorCode;
  readonly status: number | undefined;
  readonly reason: IdentityTokenReason | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: TesseraErrorCode, message: string, options: TesseraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Whether `err` is a TesseraError (also across copies of the package).
 * @example if (isTesseraError(err) && err.code === 'NOT_FOUND') return null;
 */
export function isTesseraError(err: unknown): err is TesseraError {
  return err instanceof TesseraError || (err instanceof Error && err.name === 'TesseraError' && 'code' in err);
}
