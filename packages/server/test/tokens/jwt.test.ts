/** verifyJwt: tokens as DashX's guide and SDKs make them, and every way one must be refused. */
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { DashXMessage, Limits } from '@tessera/protocol';
import { verifyJwt } from '../../src/tokens/jwt.ts';
import { key1, key2, makeJwt, now } from './helpers.ts';

const opts = { nowSeconds: now, audience: 'env_prod' };
const exp = now + 3600;
const improper = { ok: false, message: DashXMessage.tokenImproperFormat };
const badSignature = { ok: false, message: DashXMessage.tokenInvalidSignature };
const missingUid = { ok: false, message: DashXMessage.tokenMissingUid };
const expired = { ok: false, message: DashXMessage.tokenExpired, reason: 'IDENTITY_TOKEN_EXPIRED' };
const hs256 = { alg: 'HS256', typ: 'JWT' };

describe('verifyJwt accepts', () => {
  it('a token made with jsonwebtoken exactly like the DashX guide', () => {
    const token = jwt.sign({ kind: 'USER', uid: '123', exp }, key1);
    expect(verifyJwt(token, [key1], opts)).toEqual({
      ok: true,
      uid: '123',
      exp,
      secretIndex: 0,
      legacy: false,
    });
  });

  it('a numeric uid, as a string', () => {
    const token = jwt.sign({ kind: 'USER', uid: 123, exp }, key1);
    expect(verifyJwt(token, [key1], opts)).toMatchObject({ ok: true, uid: '123' });
  });

  it('a token signed with the second active key (rotation), reporting secretIndex 1', () => {
    const token = jwt.sign({ kind: 'USER', uid: 'u', exp }, key2);
    expect(verifyJwt(token, [key1, key2], opts)).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifyJwt(jwt.sign({ kind: 'USER', uid: 'u', exp }, key1), [key1, key2], opts)).toMatchObject({
      secretIndex: 0,
    });
  });

  it('a token expired by less than the 30 s leeway', () => {
    const token = jwt.sign({ kind: 'USER', uid: 'u', exp: now - 29 }, key1);
    expect(verifyJwt(token, [key1], opts)).toMatchObject({ ok: true, exp: now - 29 });
  });

  it('a header without typ (as jjwt writes it), and ignores kid', () => {
    expect(verifyJwt(makeJwt({ alg: 'HS256' }, { kind: 'USER', uid: 'u', exp }, key1), [key1], opts).ok).toBe(true);
    const withKid = makeJwt({ alg: 'HS256', kid: 'https://evil.example/k' }, { kind: 'USER', uid: 'u', exp }, key1);
    expect(verifyJwt(withKid, [key1], opts).ok).toBe(true);
  });

  it('an aud naming this environment, as a string or in an array', () => {
    const one = jwt.sign({ kind: 'USER', uid: 'u', exp, aud: 'env_prod' }, key1);
    const many = jwt.sign({ kind: 'USER', uid: 'u', exp, aud: ['env_x', 'env_prod'] }, key1);
    expect(verifyJwt(one, [key1], opts).ok).toBe(true);
    expect(verifyJwt(many, [key1], opts).ok).toBe(true);
  });

  it('an nbf up to 30 s in the future', () => {
    const token = makeJwt(hs256, { kind: 'USER', uid: 'u', exp, nbf: now + 29 }, key1);
    expect(verifyJwt(token, [key1], opts).ok).toBe(true);
  });
});

describe('verifyJwt refuses', () => {
  it('an expired token with the exact message and reason', () => {
    const token = jwt.sign({ kind: 'USER', uid: 'u', exp: now - 30 }, key1);
    expect(verifyJwt(token, [key1], opts)).toEqual(expired);
    expect(verifyJwt(jwt.sign({ kind: 'USER', uid: 'u', exp: now - 3600 }, key1), [key1], opts)).toEqual(expired);
  });

  it('alg none, with or without a signature', () => {
    const payload = { kind: 'USER', uid: 'u', exp };
    const unsigned = makeJwt({ alg: 'none', typ: 'JWT' }, payload, key1).replace(/[^.]+$/, '');
    expect(verifyJwt(unsigned, [key1], opts)).toEqual(improper);
    expect(verifyJwt(makeJwt({ alg: 'none' }, payload, key1), [key1], opts)).toEqual(improper);
  });

  it('HS512 and any other alg, even with an HS256 signature', () => {
    const payload = { kind: 'USER', uid: 'u', exp };
    expect(verifyJwt(jwt.sign(payload, key1, { algorithm: 'HS512' }), [key1], opts)).toEqual(improper);
    for (const alg of ['HS512', 'hs256', 'RS256', 'HS256 ', '']) {
      expect(verifyJwt(makeJwt({ alg, typ: 'JWT' }, payload, key1), [key1], opts)).toEqual(improper);
    }
    expect(verifyJwt(makeJwt({ typ: 'JWT' }, payload, key1), [key1], opts)).toEqual(improper);
  });

  it('a header with crit', () => {
    const token = makeJwt({ alg: 'HS256', crit: ['exp'] }, { kind: 'USER', uid: 'u', exp }, key1);
    expect(verifyJwt(token, [key1], opts)).toEqual(improper);
  });

  it('a tampered payload', () => {
    const [h, , s] = jwt.sign({ kind: 'USER', uid: '123', exp }, key1).split('.');
    const forged = Buffer.from(JSON.stringify({ kind: 'USER', uid: '124', exp })).toString('base64url');
    expect(verifyJwt(`${h}.${forged}.${s}`, [key1], opts)).toEqual(badSignature);
  });

  it('a tampered signature, and a non-canonical encoding of the right one', () => {
    const token = jwt.sign({ kind: 'USER', uid: '123', exp }, key1);
    const i = token.length - 10;
    const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(verifyJwt(flipped, [key1], opts)).toEqual(badSignature);
    // The last character holds 4 bits; setting its 2 unused bits decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const variant = token.slice(0, -1) + alphabet[last | 1];
    expect(Buffer.from(variant.split('.')[2] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[2] ?? '', 'base64url'),
    );
    expect(verifyJwt(variant, [key1], opts)).toEqual(improper);
  });

  it('a token signed with a key that is not active, or with no keys at all', () => {
    const token = jwt.sign({ kind: 'USER', uid: 'u', exp }, key2);
    expect(verifyJwt(token, [key1], opts)).toEqual(badSignature);
    expect(verifyJwt(token, [], opts)).toEqual(badSignature);
  });

  it('a token signed with an empty secret (empty secrets are skipped)', () => {
    const token = makeJwt(hs256, { kind: 'USER', uid: 'u', exp }, '');
    expect(verifyJwt(token, [''], opts)).toEqual(badSignature);
  });

  it('a missing or non-numeric exp', () => {
    expect(verifyJwt(jwt.sign({ kind: 'USER', uid: 'u' }, key1), [key1], opts)).toEqual(improper);
    expect(verifyJwt(makeJwt(hs256, { kind: 'USER', uid: 'u', exp: String(exp) }, key1), [key1], opts)).toEqual(
      improper,
    );
  });

  it('kind VISITOR, a missing kind, or kind in another case', () => {
    for (const kind of ['VISITOR', undefined, 'user', 'regular']) {
      expect(verifyJwt(jwt.sign({ kind, uid: 'u', exp }, key1), [key1], opts)).toEqual(improper);
    }
  });

  it("a missing, empty or non-scalar uid with Missing identity 'uid'", () => {
    for (const uid of [undefined, '', null, { id: 1 }, ['1'], true]) {
      expect(verifyJwt(jwt.sign({ kind: 'USER', uid, exp }, key1), [key1], opts)).toEqual(missingUid);
    }
  });

  it('an aud naming another environment, as Invalid signature', () => {
    for (const aud of ['env_staging', ['env_staging'], 42]) {
      expect(verifyJwt(jwt.sign({ kind: 'USER', uid: 'u', exp, aud }, key1), [key1], opts)).toEqual(badSignature);
    }
  });

  it('an nbf more than 30 s in the future', () => {
    const token = makeJwt(hs256, { kind: 'USER', uid: 'u', exp, nbf: now + 31 }, key1);
    expect(verifyJwt(token, [key1], opts)).toEqual(improper);
  });

  it('a payload that is not a JSON object, even when correctly signed', () => {
    for (const payload of ['[1]', 'null', '"USER"', '{"kind":"USER"', 'not json']) {
      expect(verifyJwt(makeJwt(hs256, payload, key1), [key1], opts)).toEqual(improper);
    }
  });

  it('tokens over 4 KB before parsing; up to 4 KB is fine', () => {
    let longest = '';
    let tooLong = '';
    for (let n = 2900; n < 3100; n++) {
      const token = jwt.sign({ kind: 'USER', uid: 'x'.repeat(n), exp }, key1);
      if (token.length <= Limits.maxTokenBytes) {
        longest = token;
        continue;
      }
      tooLong = token;
      break;
    }
    // Correctly signed, so only the size can refuse it.
    expect(tooLong.length).toBeGreaterThan(Limits.maxTokenBytes);
    expect(verifyJwt(tooLong, [key1], opts)).toEqual(improper);
    expect(longest.length).toBeGreaterThan(Limits.maxTokenBytes - 4);
    expect(verifyJwt(longest, [key1], opts).ok).toBe(true);
    // 2,100 characters but 4,200 UTF-8 bytes.
    expect(verifyJwt(`a.${'é'.repeat(2100)}.b`, [key1], opts)).toEqual(improper);
  });

  it('garbage', () => {
    const valid = jwt.sign({ kind: 'USER', uid: 'u', exp }, key1);
    const garbage = [
      '',
      'abc',
      'a.b',
      'a.b.c.d',
      '..',
      '...',
      `Bearer ${valid}`,
      `${valid}.`,
      `.${valid}`,
      valid.replace('.', '=.'),
      valid.replace('.', '+.'),
      `${valid} `,
      'eyJhbGciOiJIUzI1NiJ9.e30.',
      '😀.😀.😀',
      'null.null.null',
      `${Buffer.from('[]').toString('base64url')}.e30.${valid.split('.')[2]}`,
    ];
    for (const token of garbage) expect(verifyJwt(token, [key1], opts), token).toEqual(improper);
  });
});
