/** Helpers for the core tests: unsigned JWTs (the SDK reads only `exp`) and time. */
import { vi } from 'vitest';

/** A JWT-shaped token expiring `inSeconds` from the (fake) now. The signature is not checked by the SDK. */
export function jwt(uid: string, inSeconds: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ uid, kind: 'USER', exp: Math.floor(Date.now() / 1000) + inSeconds })}.sig`;
}

/** Lets timers and promise chains run for `ms` of fake time. */
export const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
