import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/util/lru.ts';

describe('Lru', () => {
  it('evicts the least recently used entry first', () => {
    const lru = new Lru<string, number>({ maxEntries: 2 });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recently used
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('keeps null values (a remembered miss) apart from absent keys', () => {
    const lru = new Lru<string, string | null>({ maxEntries: 10 });
    lru.set('gone', null);
    expect(lru.get('gone')).toBeNull();
    expect(lru.get('never')).toBeUndefined();
  });

  it('ignores entries older than the time to live', () => {
    let now = 1_000;
    const lru = new Lru<string, number>({ maxEntries: 10, ttlMs: 5_000, now: () => now });
    lru.set('a', 1);
    now += 4_999;
    expect(lru.get('a')).toBe(1);
    now += 2;
    expect(lru.get('a')).toBeUndefined();
  });

  it('deletes by key, by predicate and all at once', () => {
    const lru = new Lru<string, number>({ maxEntries: 10 });
    for (const key of ['env1\0a', 'env1\0b', 'env2\0a']) lru.set(key, 1);
    lru.deleteWhere((key) => key.startsWith('env1\0'));
    expect([lru.get('env1\0a'), lru.get('env1\0b'), lru.get('env2\0a')]).toEqual([undefined, undefined, 1]);
    lru.delete('env2\0a');
    expect(lru.size).toBe(0);
    lru.set('x', 1);
    lru.clear();
    expect(lru.get('x')).toBeUndefined();
  });
});
