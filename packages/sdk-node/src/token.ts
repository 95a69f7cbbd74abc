/**
 * Identity tokens as the DashX guide makes them: a JWT, HS256, signed with the private key (its
 * UTF-8 bytes as the HMAC secret), payload `{ uid, kind: "USER", iat, exp }` and — when the
 * client knows its environment — `aud: "<environment name>"`. Signed with jsonwebtoken, as the
 * guide's own backend code does: synchronously, so `generateIdentityToken` returns the string.
 */
import jwt from 'jsonwebtoken';
import { Limits } from '@tessera/protocol';
import { TesseraError } from '@tessera/sdk-core';
import type { IdentityTokenOptions } from './types.ts';

const unitSeconds: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
  w: 604_800,
  week: 604_800,
  weeks: 604_800,
};

/**
 * A lifetime in seconds: whole seconds, or a whole number with a unit (`30s`, `15m`, `12h`, `7d`, `2w`).
 * @throws TesseraError INVALID_INPUT
 * @example lifetimeSeconds('7d') // 604800
 */
export function lifetimeSeconds(expiresIn: number | string): number {
  let seconds = Number.NaN;
  if (typeof expiresIn === 'number') seconds = expiresIn;
  else if (typeof expiresIn === 'string') {
    const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(expiresIn);
    const unit = match?.[2] === undefined ? undefined : unitSeconds[match[2].toLowerCase()];
    if (match && unit !== undefined) seconds = Number(match[1]) * unit;
  }
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new TesseraError(
      'INVALID_INPUT',
      `expiresIn ${JSON.stringify(expiresIn)} is not a lifetime: use whole seconds (3600) or a number with a unit (30s, 15m, 12h, 7d, 2w)`,
    );
  }
  return seconds;
}

export interface SignContext {
  privateKey: string | undefined;
  /** The environment's name, put in `aud`; none when the client was not told its environment. */
  audience: string | undefined;
  nowMs: number;
}

/**
 * Signs an identity token for `uid`.
 * @throws TesseraError CONFIGURATION without a private key; INVALID_INPUT without a uid or with a bad lifetime.
 */
export function signIdentityToken(uid: unknown, options: IdentityTokenOptions, context: SignContext): string {
  if (context.privateKey === undefined) {
    throw new TesseraError(
      'CONFIGURATION',
      'generateIdentityToken needs the private key: pass { privateKey } to createClient or set TESSERA_PRIVATE_KEY (or DASHX_PRIVATE_KEY)',
    );
  }
  // DashX's own message (dashx-node 0.2's identity token helper).
  const missing = () => new TesseraError('INVALID_INPUT', 'uid is required to generate an identity token.');
  if (uid === undefined || uid === null) throw missing();
  if (typeof uid !== 'string' && !(typeof uid === 'number' && Number.isSafeInteger(uid))) {
    throw new TesseraError('INVALID_INPUT', `uid must be a string, got ${typeof uid}`);
  }
  // The guide's "Send uid as a string": a numeric id goes as its string form.
  const id = String(uid);
  if (id.trim() === '') throw missing();
  if (id.length > Limits.maxIdLength) {
    throw new TesseraError('INVALID_INPUT', `uid is longer than ${Limits.maxIdLength} characters`);
  }
  const iat = Math.floor(context.nowMs / 1000);
  // `iat` given, so `expiresIn` counts from the client's clock (the `now` port), not the library's.
  return jwt.sign({ uid: id, kind: 'USER', iat }, context.privateKey, {
    algorithm: 'HS256',
    expiresIn: lifetimeSeconds(options.expiresIn ?? '7d'),
    ...(context.audience === undefined ? {} : { audience: context.audience }),
  });
}
