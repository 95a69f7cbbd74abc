/** Shared result types of identity-token verification (JWT and legacy AES-GCM tokens). */

/** A token that verified: who it names, until when, and which secret (key pair) proved it. */
export interface TokenOk {
  ok: true;
  /** The verified user id, always a string (numeric JWT `uid`s are converted). */
  uid: string;
  /** Expiry in UNIX seconds; `Number.POSITIVE_INFINITY` for legacy tokens, which carry none. */
  exp: number;
  /** Index into the `secrets` array of the secret that verified the token. */
  secretIndex: number;
  /** `true` for the @dashx/node 0.1.30 AES-256-GCM token, `false` for a JWT. */
  legacy: boolean;
}

/** A JWT that verified. */
export interface JwtOk extends TokenOk {
  legacy: false;
}

/** A legacy AES-256-GCM token that verified. */
export interface LegacyOk extends TokenOk {
  legacy: true;
}

/** A refused token: one of DashX's exact messages, and `reason` when the client should refresh. */
export interface TokenFailure {
  ok: false;
  /** One of `DashXMessage.token*` from @tessera/protocol. */
  message: string;
  /** Set only for an expired token, so SDKs know a refresh may help. */
  reason?: 'IDENTITY_TOKEN_EXPIRED';
}

/**
 * The outcome of verifying a JWT identity token. Expected failures are values, not exceptions.
 * @example
 * const r: TokenResult = verifyJwt(token, [privateKey], { nowSeconds, audience: envId });
 * if (!r.ok) throw new TesseraError(ErrorCode.UNAUTHORIZED, r.message, { reason: r.reason });
 */
export type TokenResult = JwtOk | TokenFailure;

/** The outcome of verifying a legacy AES-256-GCM token. */
export type LegacyTokenResult = LegacyOk | TokenFailure;

/** Either kind of successful verification, as stored by `TokenCache`. */
export type AnyTokenOk = JwtOk | LegacyOk;

/** Options of `verifyJwt`. */
export interface VerifyJwtOptions {
  /** The current time in UNIX seconds (injected so tests and callers share one clock). */
  nowSeconds: number;
  /** The environment the token must be meant for when it carries an `aud` claim. */
  audience: string;
}
