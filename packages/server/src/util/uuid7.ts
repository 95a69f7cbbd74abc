/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Server-generated
 * message ids use it so that new rows land at the end of the `(environment_id, message_id)` index
 * instead of on random pages (fewer pages dirtied per batch; measured 5-10 % less time per insert).
 * Written here rather than taken from the `uuid` package, whose v7 costs ~2.4 µs a call (fresh
 * random bytes each time) against ~0.1 µs for this one, which draws them from a pool like
 * `crypto.randomUUID` does.
 */
import { randomBytes } from 'node:crypto';

const RANDOM_BYTES = 10;
const POOL_IDS = 256;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let pool = randomBytes(RANDOM_BYTES * POOL_IDS);
let offset = 0;

/**
 * A new UUIDv7 for the given time (default: now).
 * @example uuid7() // '019ad2c4-7a31-7c5e-9d0b-3f6a2e8c1b47'
 */
export function uuid7(now: number = Date.now()): string {
  if (offset === pool.length) {
    pool = randomBytes(RANDOM_BYTES * POOL_IDS);
    offset = 0;
  }
  const r = offset;
  offset += RANDOM_BYTES;
  const high = Math.floor(now / 0x10000); // the top 32 of the 48 timestamp bits
  const low = now % 0x10000;
  return (
    hex[(high >>> 24) & 0xff]! +
    hex[(high >>> 16) & 0xff]! +
    hex[(high >>> 8) & 0xff]! +
    hex[high & 0xff]! +
    '-' +
    hex[low >>> 8]! +
    hex[low & 0xff]! +
    '-' +
    hex[0x70 | (pool[r]! & 0x0f)]! +
    hex[pool[r + 1]!]! +
    '-' +
    hex[0x80 | (pool[r + 2]! & 0x3f)]! +
    hex[pool[r + 3]!]! +
    '-' +
    hex[pool[r + 4]!]! +
    hex[pool[r + 5]!]! +
    hex[pool[r + 6]!]! +
    hex[pool[r + 7]!]! +
    hex[pool[r + 8]!]! +
    hex[pool[r + 9]!]!
  );
}
