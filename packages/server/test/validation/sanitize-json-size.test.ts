/** Tests for sanitizeJson's size limit: exact UTF-8 byte counting of the sanitized JSON, early stop. */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Limits } from '@tessera/protocol';
import { sanitizeJson } from '../../src/validation/index.ts';
import { refusal } from './helpers.ts';

describe('sanitizeJson size limit', () => {
  const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

  /** Pads `value` so its sanitized JSON is exactly `target` bytes. */
  function padded(value: unknown, target: number): Record<string, unknown> {
    const base = bytes(sanitizeJson({ p: '', v: value }, 'data'));
    return { p: 'x'.repeat(target - base), v: value };
  }

  it('accepts exactly 32 KB and refuses one byte more', () => {
    const ok = { s: 'x'.repeat(Limits.maxJsonBytes - 8) };
    expect(bytes(ok)).toBe(Limits.maxJsonBytes);
    expect(sanitizeJson(ok, 'data')).toEqual(ok);
    const tooBig = { s: 'x'.repeat(Limits.maxJsonBytes - 7) };
    expect(refusal(() => sanitizeJson(tooBig, 'data')).message).toContain('32768 bytes');
  });

  it('counts UTF-8 bytes and JSON escapes of the sanitized value exactly', () => {
    const samples: unknown[] = [
      'é日😀',
      '"\\\b\f\n\r\t\u0001\u001f\u007f\u2028',
      'nul\u0000 lone\uD800 low\uDC00', // each replacement is 3 bytes, not a 6-byte \\u escape
      { 'key"\u0000': [1.5, -0, 1e21, 123456789, null, true, false, {}, []] },
      [undefined, 'x'],
    ];
    for (const v of samples) {
      expect(sanitizeJson(padded(v, Limits.maxJsonBytes), 'data')).toBeTruthy();
      refusal(() => sanitizeJson(padded(v, Limits.maxJsonBytes + 1), 'data'));
    }
  });

  it('matches JSON.stringify on random values', () => {
    const alphabet = ['a', '"', '\\', '\n', '\u0000', '\u0007', 'é', '日', '😀', '\uD800', '\uDC00', '\u2028'];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const str = (): string => Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
    const val = (depth: number): unknown => {
      const k = rand(depth > 3 ? 4 : 6);
      if (k === 0) return str();
      if (k === 1) return rand(1000) / 7 - 50;
      if (k === 2) return rand(2) === 0;
      if (k === 3) return null;
      if (k === 4) return Array.from({ length: rand(4) }, () => val(depth + 1));
      return Object.fromEntries(Array.from({ length: rand(4) }, (_, i) => [str() + i, val(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const v = val(1);
      sanitizeJson(padded(v, Limits.maxJsonBytes), 'data');
      refusal(() => sanitizeJson(padded(v, Limits.maxJsonBytes + 1), 'data'));
    }
  });

  it('stops reading as soon as the limit is passed', () => {
    let reads = 0;
    const list = new Proxy(new Array<number>(1_000_000).fill(1), {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    refusal(() => sanitizeJson({ list }, 'data'));
    // Each item costs 2 bytes ("1,"), so the walk ends after about 16 K of the 1 M items.
    expect(reads).toBeLessThan(Limits.maxJsonBytes / 2 + 10);
  });
});
