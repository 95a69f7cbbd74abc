/** verifyLegacyToken: the AES-256-GCM token of the published @dashx/node 0.1.30. */
import { createDecipheriv } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { DashXMessage } from '@tessera/protocol';
import { looksLikeJwt, verifyLegacyToken } from '../../src/tokens/legacy.ts';
import { key1, key2, legacyEncrypt, legacyToken } from './helpers.ts';

const improper = { ok: false, message: DashXMessage.tokenImproperFormat };
const badSignature = { ok: false, message: DashXMessage.tokenInvalidSignature };

describe('verifyLegacyToken', () => {
  it('decrypts a token to its uid, with no expiry', () => {
    expect(verifyLegacyToken(legacyToken(key1, '123'), [key1])).toEqual({
      ok: true,
      uid: '123',
      exp: Number.POSITIVE_INFINITY,
      secretIndex: 0,
      legacy: true,
    });
  });

  it('keeps every ; of the uid (split on the first two only)', () => {
    expect(verifyLegacyToken(legacyToken(key1, 'a;b;;c;'), [key1])).toMatchObject({
      ok: true,
      uid: 'a;b;;c;',
    });
    expect(verifyLegacyToken(legacyToken(key1, 'ünï', 'admin'), [key1])).toMatchObject({
      ok: true,
      uid: 'ünï',
    });
  });

  it('matches the known vector: key 0123…cdef, uid 123 → 56 characters, v1;regular;123', () => {
    const key = '0123456789abcdef0123456789abcdef';
    const token = legacyToken(key, '123');
    expect(token).toHaveLength(56);
    const bytes = Buffer.from(token, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key), bytes.subarray(0, 12), {
      authTagLength: 16,
    });
    decipher.setAuthTag(bytes.subarray(-16));
    expect(Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString()).toBe(
      'v1;regular;123',
    );
    expect(verifyLegacyToken(token, [key])).toMatchObject({ ok: true, uid: '123' });
    // The same vector with an all-zero nonce (cross-checked with Python's cryptography AESGCM).
    const fixed = 'AAAAAAAAAAAAAAAAuEKac3dkKjSOX7q5Kqr6TxfJnvso9OkRN3iLhD0V';
    expect(legacyToken(key, '123', undefined, Buffer.alloc(12))).toBe(fixed);
    expect(verifyLegacyToken(fixed, [key])).toMatchObject({ ok: true, uid: '123' });
  });

  it('accepts = padding and its absence', () => {
    const token = legacyToken(key1, '1234'); // 43 bytes → one '='
    expect(token.endsWith('=')).toBe(true);
    expect(verifyLegacyToken(token, [key1])).toMatchObject({ ok: true, uid: '1234' });
    expect(verifyLegacyToken(token.replace(/=+$/, ''), [key1])).toMatchObject({
      ok: true,
      uid: '1234',
    });
  });

  it('tries each secret and reports which one decrypted', () => {
    expect(verifyLegacyToken(legacyToken(key2, 'u'), [key1, key2])).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
  });

  it('skips secrets that are not exactly 32 bytes', () => {
    const token = legacyToken(key1, 'u');
    expect(verifyLegacyToken(token, ['short', key1])).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifyLegacyToken(token, ['short', 'é'.repeat(32), `${key1}x`])).toEqual(badSignature);
  });

  it('refuses a token under the wrong key, or tampered with', () => {
    const token = legacyToken(key1, '123');
    expect(verifyLegacyToken(token, [key2])).toEqual(badSignature);
    expect(verifyLegacyToken(token, [])).toEqual(badSignature);
    const bytes = Buffer.from(token, 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    expect(verifyLegacyToken(bytes.toString('base64url'), [key1])).toEqual(badSignature);
  });

  it('refuses a plaintext that is not v1;<kind>;<uid>, or has an empty uid', () => {
    expect(verifyLegacyToken(legacyToken(key1, ''), [key1])).toEqual({
      ok: false,
      message: DashXMessage.tokenMissingUid,
    });
    for (const plaintext of ['v2;regular;u', 'v1;regular', 'v1;;u', 'v1', '']) {
      expect(verifyLegacyToken(legacyEncrypt(key1, plaintext), [key1]), plaintext).toEqual(improper);
    }
  });

  it('refuses garbage and oversize tokens as Improper format', () => {
    for (const token of ['', '!!!!', 'abc', 'AAAA', 'a b', 'AAAA=AAAA', `${legacyToken(key1, 'u')}=`, '😀']) {
      expect(verifyLegacyToken(token, [key1]), token).toEqual(improper);
    }
    expect(verifyLegacyToken(legacyToken(key1, 'x'.repeat(3100)), [key1])).toEqual(improper);
  });
});

describe('looksLikeJwt', () => {
  it('is true for three dot-separated parts only', () => {
    expect(looksLikeJwt(jwt.sign({ uid: 'u' }, key1))).toBe(true);
    expect(looksLikeJwt(legacyToken(key1, 'u'))).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
  });
});
