/** TokenCache: hits until exp + leeway, dropped when the key pair is revoked, bounded FIFO. */
import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../src/tokens/cache.ts';
import type { JwtOk, LegacyOk } from '../../src/tokens/types.ts';
import { now } from './helpers.ts';

const ok = (uid: string, exp = now + 100): JwtOk => ({
  ok: true,
  uid,
  exp,
  secretIndex: 0,
  legacy: false,
});
const active = (): boolean => true;

describe('TokenCache', () => {
  it('returns a stored result for the same environment and token only', () => {
    const cache = new TokenCache();
    cache.set('env_a', 'tok', ok('u'), 'kp1');
    expect(cache.get('env_a', 'tok', now, active)).toEqual(ok('u'));
    expect(cache.get('env_b', 'tok', now, active)).toBeUndefined();
    expect(cache.get('env_a', 'tok2', now, active)).toBeUndefined();
  });

  it('serves a result until exp + 30 s, then forgets it', () => {
    const cache = new TokenCache();
    cache.set('env', 'tok', ok('u', now + 100), 'kp1');
    expect(cache.get('env', 'tok', now + 129, active)).toBeDefined();
    expect(cache.get('env', 'tok', now + 130, active)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stops serving a token once its key pair is revoked, for good', () => {
    const cache = new TokenCache();
    const revoked = new Set<string>();
    const isActive = (id: string): boolean => !revoked.has(id);
    cache.set('env', 'tok1', ok('u1'), 'kp1');
    cache.set('env', 'tok2', ok('u2'), 'kp2');
    revoked.add('kp1');
    expect(cache.get('env', 'tok1', now, isActive)).toBeUndefined();
    expect(cache.get('env', 'tok2', now, isActive)).toEqual(ok('u2'));
    revoked.clear();
    expect(cache.get('env', 'tok1', now, isActive)).toBeUndefined();
  });

  it('keeps legacy results (no expiry) while their key pair is active', () => {
    const cache = new TokenCache();
    const legacy: LegacyOk = {
      ok: true,
      uid: 'u',
      exp: Number.POSITIVE_INFINITY,
      secretIndex: 1,
      legacy: true,
    };
    cache.set('env', 'tok', legacy, 'kp2');
    expect(cache.get('env', 'tok', now + 10 * 365 * 86_400, active)).toBe(legacy);
    expect(cache.get('env', 'tok', now, () => false)).toBeUndefined();
  });

  it('evicts the oldest entry when full; storing again makes an entry newest', () => {
    const cache = new TokenCache({ maxEntries: 2 });
    cache.set('env', 'a', ok('a'), 'kp');
    cache.set('env', 'b', ok('b'), 'kp');
    cache.set('env', 'a', ok('a'), 'kp'); // a is now newer than b
    cache.set('env', 'c', ok('c'), 'kp');
    expect(cache.size).toBe(2);
    expect(cache.get('env', 'b', now, active)).toBeUndefined();
    expect(cache.get('env', 'a', now, active)).toBeDefined();
    expect(cache.get('env', 'c', now, active)).toBeDefined();
  });

  it('stays within maxEntries (default 10,000) and can be cleared', () => {
    const cache = new TokenCache();
    for (let i = 0; i < 10_050; i++) cache.set('env', `t${i}`, ok(`u${i}`), 'kp');
    expect(cache.size).toBe(10_000);
    expect(cache.get('env', 't49', now, active)).toBeUndefined();
    expect(cache.get('env', 't50', now, active)).toBeDefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => new TokenCache({ maxEntries })).toThrow(RangeError);
    }
  });
});
