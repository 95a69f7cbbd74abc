/** Test helpers: hand-built JWTs and the legacy @dashx/node 0.1.30 token producer. */
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';

/** A 32-byte private key, as Tessera key pairs have. */
export const key1 = 'k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1';
/** The second active key pair's private key (rotation). */
export const key2 = 'k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2';
/** A fixed clock for tests, in UNIX seconds. */
export const now = 1_750_000_000;

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a JWT from any header and payload (objects or raw JSON text), HMAC-signed with `hash`. */
export function makeJwt(header: unknown, payload: unknown, secret: string, hash = 'sha256'): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac(hash, secret).update(signingInput).digest('base64url')}`;
}

/** The legacy token, byte for byte as @dashx/node 0.1.30 `generateIdentityToken` makes it. */
export function legacyToken(privateKey: string, uid: string, kind?: string, nonce = randomBytes(12)): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(privateKey), nonce, {
    authTagLength: 16,
  });
  const encrypted = Buffer.concat([cipher.update(`v1;${kind || 'regular'};${uid}`), cipher.final()]);
  return Buffer.concat([nonce, encrypted, cipher.getAuthTag()])
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** Any plaintext in the legacy layout (for plaintexts the producer cannot make), padded base64url. */
export function legacyEncrypt(privateKey: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(privateKey), nonce, {
    authTagLength: 16,
  });
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, encrypted, cipher.getAuthTag()]).toString('base64url');
}
