/** Verifies HS256 identity tokens (JWT) with node:crypto directly, algorithm pinned to HS256. */
// Why not a JWT library: a well-kept one (jose, 15-25k/s) was measured 4x or more slower than
// node:crypto createHmac + timingSafeEqual (~100k/s, docs/performance.md), and every
// public-key call with a logged-in user verifies a token. Doing it here also pins the algorithm:
// only HS256 is ever considered, whatever the header says (RFC 8725 §3.1), and nothing a header
// points to (jku, x5u, kid) is ever looked up.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Limits } from '@tessera/protocol';
import { improperFormat, invalidSignature, missingUid, expired } from './failures.ts';
import type { TokenResult, VerifyJwtOptions } from './types.ts';

const base64url = /^[A-Za-z0-9_-]+$/;
// HMAC-SHA256 is 32 bytes = 43 base64url characters; the last one carries 4 bits, so its 2 low
// bits must be zero. Insisting on that makes the signature encoding unique (no malleability).
const signaturePart = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
// The headers that jsonwebtoken/jjwt/our signJwt produce, pre-checked so the common case skips
// a base64 decode and JSON.parse: {"alg":"HS256","typ":"JWT"} and {"alg":"HS256"}.
const knownGoodHeaders: ReadonlySet<string> = new Set(['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJhbGciOiJIUzI1NiJ9']);

/**
 * Verifies a DashX identity token: an HS256 JWT signed with one of the environment's private
 * keys (UTF-8 string as HMAC secret), payload `{ uid, kind: "USER", exp }`. Never throws.
 *
 * Refusals use DashX's exact messages: Improper format (too long, malformed, `alg` other than
 * HS256, `crit` header, `exp` missing, `kind` not `USER`), Invalid signature (no secret matches,
 * or `aud` names another environment), Missing identity 'uid', Expired (with `reason`).
 * `exp` and `nbf` are checked with `Limits.tokenLeewaySeconds` (30 s) of clock leeway.
 *
 * @param secrets the environment's active private keys (at most two during a rotation); the
 *   index of the one that verified is returned as `secretIndex`. Empty secrets are skipped.
 * @example
 * const r = verifyJwt(req.headers['x-identity-token'], [key1, key2], { nowSeconds, audience: envId });
 * if (r.ok) console.log(r.uid, r.secretIndex);
 */
export function verifyJwt(token: string, secrets: readonly string[], options: VerifyJwtOptions): TokenResult {
  // Refuse oversize tokens before any parsing (string length is a lower bound on UTF-8 bytes).
  if (token.length > Limits.maxTokenBytes || Buffer.byteLength(token, 'utf8') > Limits.maxTokenBytes) {
    return improperFormat;
  }
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot1 <= 0 || dot2 <= dot1 + 1 || token.indexOf('.', dot2 + 1) !== -1) return improperFormat;
  const headerPart = token.slice(0, dot1);
  const payloadPart = token.slice(dot1 + 1, dot2);
  const signingInput = token.slice(0, dot2);
  const signature = token.slice(dot2 + 1);
  if (!base64url.test(headerPart) || !base64url.test(payloadPart)) return improperFormat;
  if (!signaturePart.test(signature)) return improperFormat;
  if (!knownGoodHeaders.has(headerPart) && !isAcceptableHeader(headerPart)) return improperFormat;

  const secretIndex = matchingSecret(signingInput, Buffer.from(signature, 'base64url'), secrets);
  if (secretIndex < 0) return invalidSignature;

  const payload = parseJsonObject(payloadPart);
  if (payload === undefined) return improperFormat;
  return checkClaims(payload, secretIndex, options);
}

/** Checks the claims of a payload whose signature already verified. */
function checkClaims(payload: Record<string, unknown>, secretIndex: number, options: VerifyJwtOptions): TokenResult {
  const { exp, nbf, iat, kind, aud } = payload;
  if (!isFiniteNumber(exp)) return improperFormat;
  if (nbf !== undefined && !isFiniteNumber(nbf)) return improperFormat;
  if (iat !== undefined && !isFiniteNumber(iat)) return improperFormat;
  if (kind !== 'USER') return improperFormat;
  const uid = uidOf(payload.uid);
  if (uid === undefined) return missingUid;
  // A token signed for another environment is as good as one with a wrong signature.
  if (aud !== undefined && !audienceMatches(aud, options.audience)) return invalidSignature;
  const leeway = Limits.tokenLeewaySeconds;
  if (nbf !== undefined && nbf - leeway > options.nowSeconds) return improperFormat;
  if (exp + leeway <= options.nowSeconds) return expired;
  return { ok: true, uid, exp, secretIndex, legacy: false };
}

/** The index of the first secret whose HMAC-SHA256 matches, compared in constant time; else -1. */
function matchingSecret(signingInput: string, signature: Buffer, secrets: readonly string[]): number {
  for (let i = 0; i < secrets.length; i++) {
    const secret = secrets[i];
    if (!secret) continue; // an empty key would let anyone sign
    const expected = createHmac('sha256', secret).update(signingInput).digest();
    if (timingSafeEqual(expected, signature)) return i;
  }
  return -1;
}

/** HS256 only; `typ` may be absent; `crit` is refused (we understand no extensions). */
function isAcceptableHeader(headerPart: string): boolean {
  const header = parseJsonObject(headerPart);
  if (header === undefined || header.alg !== 'HS256' || header.crit !== undefined) return false;
  return header.typ === undefined || typeof header.typ === 'string';
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A non-empty string, or a finite number as its string form (demo-node sent numbers before 2023-02). */
function uidOf(uid: unknown): string | undefined {
  if (typeof uid === 'string') return uid === '' ? undefined : uid;
  if (isFiniteNumber(uid)) return String(uid);
  return undefined;
}

function audienceMatches(aud: unknown, audience: string): boolean {
  if (typeof aud === 'string') return aud === audience;
  return Array.isArray(aud) && aud.includes(audience);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
