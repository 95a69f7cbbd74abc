/** Tests for sanitizeJson / sanitizeString: jsonb-safe strings, forbidden keys, depth and size limits. */
import { describe, expect, it } from 'vitest';
import { Limits } from '@tessera/protocol';
import { sanitizeJson, sanitizeString } from '../../src/validation/index.ts';
import { refusal } from './helpers.ts';

const FFFD = '\uFFFD';

function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

describe('sanitizeString', () => {
  it('replaces NUL and lone surrogates, keeps valid pairs', () => {
    expect(sanitizeString('a\u0000b')).toBe(`a${FFFD}b`);
    expect(sanitizeString('\u0000\u0000')).toBe(FFFD + FFFD);
    expect(sanitizeString('x\uD83D')).toBe(`x${FFFD}`);
    expect(sanitizeString('\uDE00x')).toBe(`${FFFD}x`);
    expect(sanitizeString('\uDE00\uD83D')).toBe(FFFD + FFFD); // low before high: both lone
    expect(sanitizeString('ok 😀 ok')).toBe('ok 😀 ok');
    expect(sanitizeString('\uD83D\uD83D\uDE00')).toBe(`${FFFD}😀`);
  });

  it('returns the same string when nothing changes', () => {
    const s = 'plain ascii, ünïcödé, 日本, 😀, \t\n';
    expect(sanitizeString(s)).toBe(s);
    expect(sanitizeString('')).toBe('');
  });
});

describe('sanitizeJson', () => {
  it('maps null and undefined to {}', () => {
    expect(sanitizeJson(null, 'data')).toEqual({});
    expect(sanitizeJson(undefined, 'data')).toEqual({});
  });

  it('refuses non-objects, naming the value', () => {
    expect(refusal(() => sanitizeJson([1, 2], 'data')).message).toBe('data must be a JSON object, got array');
    expect(refusal(() => sanitizeJson('x', 'traits')).message).toBe('traits must be a JSON object, got string');
    refusal(() => sanitizeJson(42, 'data'));
    refusal(() => sanitizeJson(true, 'data'));
    refusal(() => sanitizeJson(new Date(), 'data'));
    refusal(() => sanitizeJson(new Map(), 'data'));
  });

  it('replaces NUL in strings and keys, at any depth', () => {
    const out = sanitizeJson({ 'k\u0000': 'v\u0000', deep: { list: ['\u0000', { 'x\u0000y': 1 }] } }, 'data');
    expect(out).toEqual({ [`k${FFFD}`]: `v${FFFD}`, deep: { list: [FFFD, { [`x${FFFD}y`]: 1 }] } });
  });

  it('replaces lone high and low surrogates, keeps emoji', () => {
    const out = sanitizeJson({ hi: 'a\uD800', lo: '\uDC00b', emoji: '😀', ['k\uDBFF']: '\uD83D\uDE00' }, 'data');
    expect(out).toEqual({ hi: `a${FFFD}`, lo: `${FFFD}b`, emoji: '😀', [`k${FFFD}`]: '😀' });
    // PostgreSQL would accept the result: it is well-formed UTF-16 without NUL.
    expect(JSON.stringify(out)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });

  it('refuses __proto__ from JSON.parse, and constructor/prototype at any depth', () => {
    const proto = refusal(() => sanitizeJson(JSON.parse('{"__proto__":1}'), 'data'));
    expect(proto.message).toContain('__proto__');
    const ctor = refusal(() => sanitizeJson({ a: { b: [{ constructor: 'x' }] } }, 'data'));
    expect(ctor.message).toBe('data.a.b[0] must not contain the key "constructor"');
    refusal(() => sanitizeJson({ x: { prototype: {} } }, 'traits'));
    refusal(() => sanitizeJson(JSON.parse('{"a":{"b":{"__proto__":{"polluted":true}}}}'), 'data'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts depth 10 and refuses depth 11 (the top object is depth 1, arrays count)', () => {
    expect(sanitizeJson(nested(Limits.maxJsonDepth), 'data')).toEqual(nested(10));
    expect(refusal(() => sanitizeJson(nested(Limits.maxJsonDepth + 1), 'data')).message).toMatch(
      /^data(\.a){10} is nested too deeply/,
    );
    let arrays: unknown = 1;
    for (let i = 1; i < 10; i++) arrays = [arrays];
    expect(sanitizeJson({ arrays }, 'data')).toEqual({ arrays });
    refusal(() => sanitizeJson({ arrays: [arrays] }, 'data'));
  });

  it('accepts arrays and every JSON type inside objects', () => {
    const input = {
      list: [1, 'two', null, true, { three: [3.5, -0.25e-9] }],
      n: 0,
      b: false,
      z: null,
    };
    expect(sanitizeJson(input, 'data')).toEqual(input);
  });

  it('refuses non-finite numbers and non-JSON values', () => {
    expect(refusal(() => sanitizeJson({ a: [1, Number.NaN] }, 'data')).message).toBe(
      'data.a[1] must be a finite number, got NaN',
    );
    refusal(() => sanitizeJson({ a: Infinity }, 'data'));
    refusal(() => sanitizeJson({ a: -Infinity }, 'data'));
    refusal(() => sanitizeJson({ a: 1n }, 'data'));
    refusal(() => sanitizeJson({ a: () => 1 }, 'data'));
    refusal(() => sanitizeJson({ a: Symbol('s') }, 'data'));
    refusal(() => sanitizeJson({ a: new Date() }, 'data'));
  });

  it('drops undefined properties and turns undefined array items into null, like JSON.stringify', () => {
    expect(sanitizeJson({ a: undefined, b: [undefined, 1] }, 'data')).toEqual({ b: [null, 1] });
  });

  it('refuses keys that collide once sanitized', () => {
    refusal(() => sanitizeJson({ 'a\u0000': 1, 'a\uD800': 2 }, 'data'));
    refusal(() => sanitizeJson({ [`a${FFFD}`]: 1, 'a\u0000': 2 }, 'data'));
  });

  it('never mutates its input and returns plain objects', () => {
    const input = { s: 'x\u0000', o: { t: ['\uD800'] } };
    const copy = structuredClone(input);
    const out = sanitizeJson(input, 'data');
    expect(input).toEqual(copy);
    expect(out).not.toBe(input);
    expect(out['o']).not.toBe(input.o);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(sanitizeJson(Object.create(null), 'data'))).toBe(Object.prototype);
    const unchanged = { a: { b: [1] } };
    expect(sanitizeJson(unchanged, 'data').a).not.toBe(unchanged.a);
  });
});
