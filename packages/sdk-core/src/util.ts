/** Small helpers with no platform in them: UUIDs, JWT expiry, UTF-8 sizes. */
import type { MaybePromise } from './types.ts';

/** uuid-random's test, which DashX's browser SDK applies: a v4, RFC variant, any case. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A UUID v4 from a source of randomness in [0, 1).
 * @example uuidv4(Math.random) // 'e31919d4-2f0c-4b6e-9b1a-0f5c1d2e3a4b'
 */
export function uuidv4(random: () => number): string {
  // Each 0 and 1 becomes a random hex digit; the 8 becomes 8–b (the RFC variant); the 4 stays.
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ ((random() * 16) >> (+c / 4))).toString(16),
  );
}

/**
 * When a JWT expires, in ms since the epoch, read from its `exp`; undefined when it has none or
 * cannot be read. `base64` decodes standard Base64 to a binary string (`atob`); the signature is
 * not checked: the server does that.
 * @example tokenExpiry(jwt, atob) // 1764438718000
 */
export function tokenExpiry(token: string, base64?: (s: string) => string): number | undefined {
  try {
    const exp: unknown = JSON.parse(base64!(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The UTF-8 length of a string, in bytes, without TextEncoder (not in every runtime).
 * @example utf8Length('é') // 2
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Two bytes below U+0800, three above; a surrogate pair is 4 bytes for 2 code units.
    if (c > 0x7f) n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** Runs a storage write, ignoring failures (quota, private mode): the state still lives in memory. */
export function quietly(write: () => MaybePromise<void>): void {
  try {
    const r = write();
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // Storage full or blocked.
  }
}
