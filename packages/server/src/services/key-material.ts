/** Key generation: `pk_`/`sk_` + 29 base62 characters from a cryptographic RNG (32 bytes each). */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 29 base62 characters ≈ 172 bits of entropy. 3 + 29 = 32 bytes, what @dashx/node 0.1.30 needs. */
const BODY_LENGTH = 29;

export const publicKeyPattern = /^pk_[0-9A-Za-z]{29}$/;
export const privateKeyPattern = /^sk_[0-9A-Za-z]{29}$/;

/** Uniform base62 by rejection sampling: bytes ≥ 248 (= 4 × 62) are discarded to avoid bias. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function generateKeyPair(): { publicKey: string; privateKey: string } {
  return { publicKey: `pk_${randomBase62(BODY_LENGTH)}`, privateKey: `sk_${randomBase62(BODY_LENGTH)}` };
}

/** The first characters of a key, safe to print in logs and lists. */
export function keyHint(key: string): string {
  return `${key.slice(0, 7)}…`;
}
