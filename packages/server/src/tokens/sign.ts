/** Mints HS256 identity tokens (used by `tessera token`) and parses durations such as `7d`. */
import { createHmac } from 'node:crypto';
import { invalidInput } from '../errors.ts';

/** Options of `signJwt`. */
export interface SignJwtOptions {
  /** The user id the token names. Required, non-empty. */
  uid: string;
  /** The environment's private key (UTF-8 string as HMAC secret). Required, non-empty. */
  secret: string;
  /** Lifetime in seconds; a positive whole number (see `parseDuration`). */
  expiresInSeconds: number;
  /** The `aud` claim, e.g. the environment id. Default: none (valid in any environment). */
  audience?: string;
  /** Issue time in UNIX seconds. Default: now. */
  nowSeconds?: number;
}

// base64url of {"alg":"HS256","typ":"JWT"}, the header jsonwebtoken writes by default.
const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');

/**
 * Signs an identity token as the DashX guide does: header `{"alg":"HS256","typ":"JWT"}`,
 * payload `{ uid, kind: "USER", iat, exp, aud? }`.
 * @throws TesseraError INVALID_INPUT for an empty uid or secret, or a bad lifetime.
 * @example
 * const token = signJwt({ uid: '123', secret: privateKey, expiresInSeconds: parseDuration('7d') });
 */
export function signJwt(options: SignJwtOptions): string {
  const { uid, secret, expiresInSeconds, audience } = options;
  if (typeof uid !== 'string' || uid === '') throw invalidInput('uid is required to generate an identity token.');
  if (typeof secret !== 'string' || secret === '') throw invalidInput('A private key is required to sign a token.');
  if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds <= 0) {
    throw invalidInput('The token lifetime must be a positive whole number of seconds.');
  }
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { uid, kind: 'USER', iat, exp: iat + expiresInSeconds };
  if (audience !== undefined) claims.aud = audience;
  const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

const unitSeconds: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parses a positive duration: whole seconds (`3600`) or a whole number with a unit
 * `s`, `m`, `h` or `d` (`30s`, `15m`, `2h`, `7d`). Returns seconds.
 * @throws TesseraError INVALID_INPUT for anything else (empty, zero, negative, fractions, `1w`).
 * @example
 * parseDuration('7d'); // 604800
 */
export function parseDuration(input: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(input);
  const multiplier = match ? unitSeconds[match[2] ?? ''] : undefined;
  const seconds = match && multiplier !== undefined ? Number(match[1]) * multiplier : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw invalidInput(`Invalid duration "${input}": use whole seconds or a number with s, m, h or d (e.g. 15m, 7d).`);
  }
  return seconds;
}
