// The one retry policy of every SDK: backoff steps, Retry-After, which statuses are retried.
import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryableStatus, retryAfterMs } from '../src/index.ts';

describe('retry timing', () => {
  it('backs off from 1 s, doubling, with jitter, up to 5 minutes', () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 0.5)).toBe(6000);
    expect(backoffMs(20, () => 1)).toBe(300_000);
    expect(backoffMs(20, () => 0)).toBe(150_000);
  });

  it('reads Retry-After in seconds or as a date, capped at 5 minutes', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('1.5', now)).toBe(1500);
    expect(retryAfterMs('3600', now)).toBe(300_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
  });

  it('retries no answer, 408, 429 and 5xx except 501; nothing else', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(status), `${status}`).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 409, 413, 501])
      expect(isRetryableStatus(status), `${status}`).toBe(false);
  });
});
