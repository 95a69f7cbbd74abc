/**
 * The one error class of every Tessera SDK: a code from a closed set (the server's codes and the
 * SDKs' own, both in `@tessera/protocol`), the server's message, and what else is known.
 */
import type { IdentityTokenReason, TesseraErrorCode } from '@tessera/protocol';

export type { TesseraErrorCode };

export interface TesseraErrorOptions {
  /** HTTP status of the server's answer, when there was one. */
  status?: number;
  /** Why an identity token was refused, e.g. `IDENTITY_TOKEN_EXPIRED`. */
  reason?: IdentityTokenReason;
  /** For `RATE_LIMITED` / `UNAVAILABLE`: how long the server asked to wait, in ms. */
  retryAfterMs?: number;
  /** Events lost with this error (dropped or refused). Default: 0. */
  dropped?: number;
  cause?: unknown;
}

/**
 * An error from the SDK or the server.
 * @example
 *   createClient({ …, onError: (e) => { if (e.code === 'QUEUE_FULL') console.warn(e.dropped, 'events dropped') } });
 *   try { await tessera.identify('user-1', traits) } catch (err) { if (isTesseraError(err) && err.code === 'UNAUTHORIZED') … }
 */
export class TesseraError extends Error {
  /** What went wrong; see `TesseraErrorCode`. */
  declare readonly code: TesseraErrorCode;
  /** Events lost with this error. */
  declare readonly dropped: number;
  declare readonly status?: number;
  declare readonly reason?: IdentityTokenReason;
  declare readonly retryAfterMs?: number;

  constructor(code: TesseraErrorCode, message: string, options?: TesseraErrorOptions) {
    super(message, options);
    // Plain assignments rather than class fields: no helper code in the browser bundle.
    Object.assign(this, { name: 'TesseraError', code, dropped: 0 }, options);
  }
}

/**
 * Whether `err` is a TesseraError, also one from another copy of an SDK (the browser and React
 * Native packages carry their own).
 * @example if (isTesseraError(err) && err.code === 'NOT_FOUND') return null;
 */
export function isTesseraError(err: unknown): err is TesseraError {
  return err instanceof TesseraError || (err instanceof Error && err.name === 'TesseraError' && 'code' in err);
}
