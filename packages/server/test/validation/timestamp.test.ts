/** Tests for resolveTimestamp and clockSkewMs: accepted forms, refusals, skew correction, clamping. */
import { describe, expect, it } from 'vitest';
import { Limits } from '@tessera/protocol';
import { clockSkewMs, resolveTimestamp } from '../../src/validation/index.ts';
import { refusal } from './helpers.ts';

const receivedAt = new Date('2026-11-29T18:00:00.000Z');
const HOUR = 3_600_000;
const iso = (input: unknown, skew?: number): string =>
  resolveTimestamp(input, receivedAt, skew).timestamp.toISOString();

describe('resolveTimestamp', () => {
  it('defaults to receivedAt (a copy) for undefined and null', () => {
    for (const input of [undefined, null]) {
      const r = resolveTimestamp(input, receivedAt);
      expect(r).toEqual({ timestamp: receivedAt, clamped: false });
      expect(r.timestamp).not.toBe(receivedAt);
    }
  });

  it('accepts ISO 8601 with Z, fractional seconds and offsets', () => {
    expect(iso('2026-11-29T17:51:58Z')).toBe('2026-11-29T17:51:58.000Z');
    expect(iso('2026-11-29T17:51:58.548Z')).toBe('2026-11-29T17:51:58.548Z');
    expect(iso('2026-11-29T17:51:58.5Z')).toBe('2026-11-29T17:51:58.500Z');
    expect(iso('2026-11-29T17:51:58.548123456Z')).toBe('2026-11-29T17:51:58.548Z');
    expect(iso('2026-11-29T17:51:58+02:00')).toBe('2026-11-29T15:51:58.000Z');
    expect(iso('2026-11-29T17:51:58.548-05:30')).toBe('2026-11-29T23:21:58.548Z');
    expect(iso('2026-11-29T17:51:58+00:00')).toBe('2026-11-29T17:51:58.000Z');
    expect(iso('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('accepts epoch milliseconds', () => {
    expect(iso(Date.UTC(2026, 10, 29, 17, 51, 58, 548))).toBe('2026-11-29T17:51:58.548Z');
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses other forms and invalid dates with a clear message', () => {
    const bad: unknown[] = [
      '2026-11-29',
      '2026-11-29T17:51:58',
      '2026-11-29 17:51:58Z',
      '2026-11-29T17:51Z',
      '2026-11-29T17:51:58.Z',
      '2026-11-29T17:51:58.1234567890Z',
      '2026-11-29T17:51:58+0200',
      '2026-11-29T17:51:58+02',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-11-29T24:00:00Z',
      '2026-11-29T17:60:00Z',
      '2026-11-29T17:51:60Z',
      '2026-11-29T17:51:58+24:00',
      ' 2026-11-29T17:51:58Z',
      '2026-11-29T17:51:58Z ',
      'Sun, 29 Nov 2026 17:51:58 GMT',
      'now',
      '',
      '1'.repeat(100_000),
      Number.NaN,
      Infinity,
      true,
      {},
      new Date(),
    ];
    for (const input of bad) {
      expect(refusal(() => resolveTimestamp(input, receivedAt)).message).toMatch(/^timestamp must be /);
    }
    expect(refusal(() => resolveTimestamp('2026-11-29', receivedAt)).message).toContain('ISO 8601 date-time');
  });

  it('refuses years before 1970 and after 9999', () => {
    expect(refusal(() => resolveTimestamp('1969-12-31T23:59:59.999Z', receivedAt)).message).toBe(
      'timestamp must be between the years 1970 and 9999',
    );
    refusal(() => resolveTimestamp('1970-01-01T00:30:00+01:00', receivedAt));
    refusal(() => resolveTimestamp('0001-01-01T00:00:00Z', receivedAt));
    refusal(() => resolveTimestamp(-1, receivedAt));
    refusal(() => resolveTimestamp(Date.UTC(10000, 0, 1), receivedAt));
    expect(iso('1970-01-01T00:00:00Z')).toBe('1970-01-01T00:00:00.000Z');
    // A valid far-future year is accepted, then clamped.
    expect(resolveTimestamp('9999-12-31T23:59:59Z', receivedAt)).toEqual({
      timestamp: receivedAt,
      clamped: true,
    });
  });

  it('adds the clock-skew correction', () => {
    expect(iso('2026-11-29T17:00:00Z', 5 * 60_000)).toBe('2026-11-29T17:05:00.000Z');
    expect(iso('2026-11-29T17:00:00Z', -HOUR)).toBe('2026-11-29T16:00:00.000Z');
    expect(iso(undefined, HOUR)).toBe(receivedAt.toISOString()); // no timestamp: server time, no skew
    expect(iso('2026-11-29T17:00:00Z', Number.NaN)).toBe('2026-11-29T17:00:00.000Z');
    refusal(() => resolveTimestamp('1970-01-01T00:00:01Z', receivedAt, -2000));
  });

  it('clamps results more than 23 h ahead to receivedAt, and flags them', () => {
    const limit = new Date(receivedAt.getTime() + Limits.maxFutureSkewMs);
    expect(resolveTimestamp(limit.toISOString(), receivedAt)).toEqual({
      timestamp: limit,
      clamped: false,
    });
    const over = new Date(limit.getTime() + 1);
    expect(resolveTimestamp(over.toISOString(), receivedAt)).toEqual({
      timestamp: receivedAt,
      clamped: true,
    });
    expect(resolveTimestamp('2030-01-01T00:00:00Z', receivedAt)).toEqual({
      timestamp: receivedAt,
      clamped: true,
    });
    // Skew correction happens before clamping: a fast client clock is corrected, not clamped.
    const fastClock = new Date(receivedAt.getTime() + 48 * HOUR);
    expect(resolveTimestamp(fastClock.toISOString(), receivedAt, -48 * HOUR)).toEqual({
      timestamp: receivedAt,
      clamped: false,
    });
    // ...and a slow client clock's correction can push a time past the limit.
    expect(resolveTimestamp(receivedAt.toISOString(), receivedAt, 24 * HOUR).clamped).toBe(true);
  });
});

describe('clockSkewMs', () => {
  it('is receivedAt - sentAt', () => {
    expect(clockSkewMs('2026-11-29T17:55:00Z', receivedAt)).toBe(5 * 60_000);
    expect(clockSkewMs('2026-11-29T20:00:00.000+02:00', receivedAt)).toBe(0);
    expect(clockSkewMs('2026-11-29T19:00:00Z', receivedAt)).toBe(-HOUR);
    expect(clockSkewMs(receivedAt.getTime() - 1234, receivedAt)).toBe(1234);
  });

  it('is 0 when sentAt is absent or invalid', () => {
    for (const sentAt of [
      undefined,
      null,
      '',
      'yesterday',
      '2026-11-29',
      42n,
      {},
      Number.NaN,
      '1969-01-01T00:00:00Z',
    ]) {
      expect(clockSkewMs(sentAt, receivedAt)).toBe(0);
    }
  });

  it('composes with resolveTimestamp', () => {
    // Client clock 2 h behind: it stamped the event at its 15:59, sent at its 16:00.
    const skew = clockSkewMs('2026-11-29T16:00:00Z', receivedAt);
    expect(iso('2026-11-29T15:59:00Z', skew)).toBe('2026-11-29T17:59:00.000Z');
  });
});
