/** Tests for splitTraits: standard vs custom traits, nulls as "not provided", sanitizing and refusals. */
import { describe, expect, it } from 'vitest';
import { splitTraits } from '../../src/validation/index.ts';
import { refusal } from './helpers.ts';

describe('splitTraits', () => {
  it('separates standard traits from custom ones', () => {
    const out = splitTraits({
      email: 'a@b.c',
      firstName: 'Ada',
      plan: 'pro',
      seats: 3,
      tags: ['x'],
      meta: { a: 1 },
    });
    expect(out).toEqual({
      standard: { email: 'a@b.c', firstName: 'Ada' },
      custom: { plan: 'pro', seats: 3, tags: ['x'], meta: { a: 1 } },
    });
  });

  it('drops nulls as not provided (iOS sends every missing field as null)', () => {
    const ios = {
      uid: 'u1',
      anonymousUid: null,
      email: null,
      phone: null,
      name: 'Ada L',
      firstName: null,
      lastName: null,
      vip: null,
    };
    expect(splitTraits(ios)).toEqual({ standard: { name: 'Ada L' }, custom: {} });
    expect(splitTraits({ nested: { keep: null } }).custom).toEqual({ nested: { keep: null } });
  });

  it('excludes identity and context keys from custom traits', () => {
    const out = splitTraits({
      uid: 'u1',
      anonymousUid: 'a1',
      systemContext: { ipV4: 'NA' },
      targetEnvironment: 'prod',
      scope: 's',
      custom1: true,
    });
    expect(out).toEqual({ standard: {}, custom: { custom1: true } });
  });

  it('sanitizes standard and custom values', () => {
    const out = splitTraits({ lastName: 'L\u0000', 'k\uD800': 'v\uDC00', emoji: '😀' });
    expect(out).toEqual({
      standard: { lastName: 'L\uFFFD' },
      custom: { 'k\uFFFD': 'v\uFFFD', emoji: '😀' },
    });
  });

  it('refuses non-string standard traits', () => {
    expect(refusal(() => splitTraits({ phone: 5551234 })).message).toBe('phone must be a string, got number');
    refusal(() => splitTraits({ email: false }));
  });

  it('refuses bad custom traits, naming them "traits"', () => {
    expect(refusal(() => splitTraits(JSON.parse('{"__proto__":{"x":1}}'))).message).toBe(
      'traits must not contain the key "__proto__"',
    );
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    refusal(() => splitTraits({ a: { constructor: 1 } }));
    refusal(() => splitTraits({ big: 'x'.repeat(40_000) }));
    refusal(() => splitTraits({ n: Number.POSITIVE_INFINITY }));
  });

  it('handles empty input and does not mutate its argument', () => {
    expect(splitTraits({})).toEqual({ standard: {}, custom: {} });
    const input = { email: 'e', c: { d: 'x\u0000' } };
    const copy = structuredClone(input);
    splitTraits(input);
    expect(input).toEqual(copy);
  });
});
