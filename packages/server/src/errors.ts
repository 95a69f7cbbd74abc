/** The server's one error class: a code from @tessera/protocol, a safe message, and the cause. */
import { ErrorCode, type IdentityTokenReason } from '@tessera/protocol';

export { ErrorCode };

export class TesseraError extends Error {
  override readonly name = 'TesseraError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; reason?: IdentityTokenReason; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = options?.reason;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** DashX's `extensions.reason`, e.g. `IDENTITY_TOKEN_EXPIRED`. */
  readonly reason: IdentityTokenReason | undefined;
  /** For UNAVAILABLE / RATE_LIMITED: what to send as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;
}

/** Shorthand for the most common error: bad client input. */
export function invalidInput(message: string): TesseraError {
  return new TesseraError(ErrorCode.INVALID_INPUT, message);
}

export function isTesseraError(err: unknown): err is TesseraError {
  return err instanceof TesseraError;
}
