/** The closed set of error codes that Tessera returns, on every API and in every SDK. */

export const ErrorCode = {
  /** The request or an item in it is malformed or breaks a limit. Never retried. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** Missing, unknown, revoked or expired key, or a bad identity token. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The caller is known but may not do this (e.g. a public key writing a user account). */
  FORBIDDEN: 'FORBIDDEN',
  /**
   * A browser request (it carries `Origin`) from a page whose origin the key's environment does
   * not list in its allowed origins. Never retried: the environment's settings must change.
   */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  NOT_FOUND: 'NOT_FOUND',
  /** The thing exists already, or a limit on how many may exist was reached. */
  CONFLICT: 'CONFLICT',
  /** Body or batch too large: the client should split it. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too many requests or failed logins; retry after `Retry-After`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The database is unreachable or the server sheds load; retry after `Retry-After`. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A DashX operation that this server does not implement. */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** A bug. Details are logged, never returned. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The codes an SDK raises itself, beside the server's: every SDK (`@tessera/node`,
 * `@tessera/browser`, `@tessera/react-native`) uses these and no others.
 */
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
  /** Getting a fresh identity token failed repeatedly: the user's events wait for `setIdentity`. */
  TOKEN_REFRESH_FAILED: 'TOKEN_REFRESH_FAILED',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Every code an SDK's `TesseraError` can carry: a `switch (err.code)` over it is exhaustive. */
export type TesseraErrorCode = ErrorCode | ClientErrorCode;

/** HTTP status for each code, used by the REST APIs (GraphQL answers 200 with `extensions.code`). */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  NOT_SUPPORTED: 501,
  INTERNAL: 500,
};

/** Why an identity token was refused, sent as `extensions.reason` where DashX does. */
export type IdentityTokenReason = 'IDENTITY_TOKEN_EXPIRED' | 'IDENTITY_TOKEN_REVOKED';

/** The JSON error body of every REST endpoint: `{ "error": { "code", "message" } }`. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    reason?: IdentityTokenReason;
    /** The request's id (also its `X-Request-Id` header): quote it when reporting a problem. */
    requestId?: string;
  };
}

/** DashX's exact messages; the official SDKs and their users match on these strings. */
export const DashXMessage = {
  tokenExpired: 'Incorrect Identity Token: Expired.',
  tokenInvalidSignature: 'Incorrect Identity Token: Invalid signature.',
  tokenImproperFormat: 'Incorrect Identity Token: Improper format.',
  tokenMissingUid: "Incorrect Identity Token: Missing identity 'uid'.",
  incorrectPublicKey: 'Incorrect Public Key.',
  keyPairExpired: 'Your API Key Pair has expired.',
} as const;
