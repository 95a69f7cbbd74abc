import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/util/token-bucket.ts';

describe('TokenBuckets', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('allows a burst, then one request per 1/rate seconds, with the wait in whole seconds', () => {
    const c = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 4, now: c.now });
    for (let i = 0; i < 4; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1); // half a second to the next: rounded up to 1
    c.advance(500);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    c.advance(10_000); // refills up to the burst, no further
    for (let i = 0; i < 4; i++) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it("takes a key's own rate and burst when given (an environment's rate limit per key)", () => {
    const c = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 2, now: c.now });
    const own = { ratePerSecond: 10, burst: 20 };
    for (let i = 0; i < 20; i++) expect(buckets.take('busy', own)).toBe(0);
    expect(buckets.take('busy', own)).toBe(1);
    c.advance(100); // one more at 10 a second
    expect(buckets.take('busy', own)).toBe(0);
    expect(buckets.take('busy', own)).toBe(1);
    // Back to the shared rate: the key keeps its (empty) bucket, refilled at 1 a second.
    c.advance(500);
    expect(buckets.take('busy')).toBe(1);
    c.advance(500);
    expect(buckets.take('busy')).toBe(0);
    // Others keep the shared burst.
    expect([buckets.take('other'), buckets.take('other'), buckets.take('other')]).toEqual([0, 0, 1]);
  });

  it('keeps keys apart, and peek spends nothing', () => {
    const c = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, now: c.now });
    expect(buckets.peek('a')).toBe(0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.peek('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('gives a slow rate a wait of several seconds', () => {
    const c = clock();
    const buckets = new TokenBuckets({ ratePerSecond: 0.1, burst: 1, now: c.now });
    buckets.take('a');
    expect(buckets.take('a')).toBe(10);
  });

  it('remembers at most maxKeys keys', () => {
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(100);
  });
});
