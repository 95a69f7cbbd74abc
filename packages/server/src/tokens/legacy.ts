/** Verifies the legacy AES-256-GCM identity token of @dashx/node 0.1.30 (`v1;<kind>;<uid>`). */
import { createDecipheriv } from 'node:crypto';
import { Limits } from '@tessera/protocol';
import { improperFormat, invalidSignature, missingUid } from './failures.ts';
import type { LegacyTokenResult } from './types.ts';

const nonceBytes = 12;
const tagBytes = 16;
const keyBytes = 32;
// Standard base64 with + → - and / → _, `=` padding kept (Node and Ruby both pad); unpadded
// input is tolerated since it decodes to the same bytes and GCM authenticates the bytes.
const legacyShape = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * True when a token has the JWT shape (three dot-separated parts), so it should go to
 * `verifyJwt`; anything else is tried as a legacy token.
 * @example
 * const r = looksLikeJwt(token) ? verifyJwt(token, keys, opts) : verifyLegacyToken(token, keys);
 */
export function looksLikeJwt(token: string): boolean {
  const first = token.indexOf('.');
  if (first < 0) return false;
  const second = token.indexOf('.', first + 1);
  return second >= 0 && token.indexOf('.', second + 1) < 0;
}

/**
 * Verifies a token made by the published @dashx/node 0.1.30 `generateIdentityToken`:
 * base64url(nonce 12 B ‖ AES-256-GCM ciphertext ‖ tag 16 B), key = the raw UTF-8 bytes of the
 * private key, plaintext `v1;<kind>;<uid>` (the uid may itself contain `;`). These tokens carry
 * no expiry, so `exp` is `Number.POSITIVE_INFINITY`. Secrets that are not exactly 32 bytes
 * cannot have produced one and are skipped. Never throws.
 *
 * Refusals: Improper format (too long, not base64url, too short, not `v1`), Invalid signature
 * (no secret authenticates it), Missing identity 'uid' (empty uid).
 * @example
 * const r = verifyLegacyToken(token, [privateKey]); // { ok: true, uid: '123', legacy: true, ... }
 */
export function verifyLegacyToken(token: string, secrets: readonly string[]): LegacyTokenResult {
  if (token.length > Limits.maxTokenBytes || !legacyShape.test(token)) return improperFormat;
  const bytes = Buffer.from(token, 'base64url');
  // "v1;" + a kind + ";" is at least 5 bytes of plaintext.
  if (bytes.length < nonceBytes + 5 + tagBytes) return improperFormat;
  const nonce = bytes.subarray(0, nonceBytes);
  const ciphertext = bytes.subarray(nonceBytes, bytes.length - tagBytes);
  const tag = bytes.subarray(bytes.length - tagBytes);

  for (let i = 0; i < secrets.length; i++) {
    const key = Buffer.from(secrets[i] ?? '', 'utf8');
    if (key.length !== keyBytes) continue;
    const plaintext = decrypt(key, nonce, ciphertext, tag);
    if (plaintext === undefined) continue;
    return parsePlaintext(plaintext, i);
  }
  return invalidSignature;
}

/** AES-256-GCM decryption; `undefined` when the tag does not authenticate. */
function decrypt(key: Buffer, nonce: Buffer, ciphertext: Buffer, tag: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** `v1;<kind>;<uid>`, split on the first two `;` only. */
function parsePlaintext(plaintext: string, secretIndex: number): LegacyTokenResult {
  const first = plaintext.indexOf(';');
  const second = first < 0 ? -1 : plaintext.indexOf(';', first + 1);
  if (second < 0 || plaintext.slice(0, first) !== 'v1' || second === first + 1) return improperFormat;
  const uid = plaintext.slice(second + 1);
  if (uid === '') return missingUid;
  return { ok: true, uid, exp: Number.POSITIVE_INFINITY, secretIndex, legacy: true };
}
