/** Tests for validateId, validateMessageId, validateEventName and validateTrait. */
import { describe, expect, it } from 'vitest';
import { Limits } from '@tessera/protocol';
import { validateEventName, validateId, validateMessageId, validateTrait } from '../../src/validation/index.ts';
import { refusal } from './helpers.ts';

describe('validateId', () => {
  it('treats undefined and null as not provided', () => {
    expect(validateId(undefined, 'uid')).toBeUndefined();
    expect(validateId(null, 'uid')).toBeUndefined();
  });

  it('returns ids unchanged, including upper-case UUIDs', () => {
    expect(validateId('user-1', 'uid')).toBe('user-1');
    const upper = 'E31919D4-85D3-46CB-A155-C0FE9448D63C';
    expect(validateId(upper, 'anonymousUid')).toBe(upper);
    expect(validateId('日本😀', 'uid')).toBe('日本😀');
  });

  it('converts safe-integer numbers to strings', () => {
    expect(validateId(42, 'uid')).toBe('42');
    expect(validateId(-7, 'uid')).toBe('-7');
    expect(refusal(() => validateId(2 ** 64, 'uid')).message).toContain('send ids as strings');
    refusal(() => validateId(1.5, 'uid'));
    refusal(() => validateId(Number.NaN, 'uid'));
    refusal(() => validateId(Infinity, 'uid'));
  });

  it('refuses other non-strings', () => {
    expect(refusal(() => validateId(true, 'uid')).message).toBe('uid must be a string, got boolean');
    expect(refusal(() => validateId({}, 'accountUid')).message).toBe('accountUid must be a string, got object');
    expect(refusal(() => validateId([], 'uid')).message).toBe('uid must be a string, got array');
    refusal(() => validateId(1n, 'uid'));
  });

  it('refuses empty and blank ids', () => {
    expect(refusal(() => validateId('', 'uid')).message).toBe('uid must not be empty');
    expect(refusal(() => validateId('  \t', 'uid')).message).toBe('uid must not be empty');
  });

  it('accepts 255 characters and refuses 256', () => {
    const id = 'a'.repeat(Limits.maxIdLength);
    expect(validateId(id, 'uid')).toBe(id);
    expect(refusal(() => validateId(`${id}a`, 'uid')).message).toBe('uid is longer than 255 characters');
  });

  it('refuses every placeholder id, case-insensitively and after trim', () => {
    const placeholders = [
      'null',
      'NULL',
      'undefined',
      'Undefined',
      'anonymous',
      'ANONYMOUS',
      '0',
      ' 0 ',
      '[object Object]',
      '[OBJECT OBJECT]',
      '00000000-0000-0000-0000-000000000000',
      ' null\n',
    ];
    for (const p of placeholders) refusal(() => validateId(p, 'uid'));
    expect(refusal(() => validateId('undefined', 'accountUid')).message).toBe(
      'accountUid "undefined" is not a valid id',
    );
    expect(refusal(() => validateId(0, 'uid')).message).toBe('uid "0" is not a valid id');
    expect(validateId('nullable', 'uid')).toBe('nullable');
    expect(validateId('00000000-0000-0000-0000-000000000001', 'uid')).toBe('00000000-0000-0000-0000-000000000001');
  });

  it('refuses NUL and unpaired surrogates', () => {
    refusal(() => validateId('a\u0000b', 'uid'));
    refusal(() => validateId('a\uD800', 'uid'));
    refusal(() => validateId('\uDC00a', 'uid'));
  });
});

describe('validateMessageId', () => {
  it('leaves a missing id to the server and keeps a given one exactly as sent', () => {
    expect(validateMessageId(undefined)).toBeUndefined();
    expect(validateMessageId(null)).toBeUndefined();
    expect(validateMessageId(' null ')).toBe(' null ');
    expect(validateMessageId('m'.repeat(Limits.maxIdLength))).toHaveLength(Limits.maxIdLength);
  });

  it('refuses non-strings, empty or too long strings, NUL and unpaired surrogates', () => {
    for (const bad of [42, '', 'm'.repeat(Limits.maxIdLength + 1)]) {
      expect(refusal(() => validateMessageId(bad)).message).toBe(
        `messageId must be a string of 1-${Limits.maxIdLength} characters`,
      );
    }
    for (const bad of ['a\u0000b', 'lone \ud800']) {
      expect(refusal(() => validateMessageId(bad)).message).toBe(
        'messageId must not contain NUL characters or unpaired surrogates',
      );
    }
  });
});

describe('validateEventName', () => {
  it('accepts 1 to 200 characters', () => {
    expect(validateEventName('Clicked')).toBe('Clicked');
    expect(validateEventName('x')).toBe('x');
    expect(validateEventName('e'.repeat(200))).toBe('e'.repeat(200));
  });

  it('sanitizes NUL and lone surrogates', () => {
    expect(validateEventName('Cl\u0000icked\uD800')).toBe('Cl\uFFFDicked\uFFFD');
  });

  it('refuses missing, non-string, empty and too long names', () => {
    expect(refusal(() => validateEventName(undefined)).message).toBe('event is required');
    expect(refusal(() => validateEventName(null)).message).toBe('event is required');
    expect(refusal(() => validateEventName(5)).message).toBe('event must be a string, got number');
    expect(refusal(() => validateEventName('')).message).toBe('event must not be empty');
    expect(refusal(() => validateEventName('e'.repeat(201))).message).toMatch(/is longer than 200 characters$/);
  });
});

describe('validateTrait', () => {
  it('treats undefined and null as not provided', () => {
    expect(validateTrait(undefined, 'email')).toBeUndefined();
    expect(validateTrait(null, 'email')).toBeUndefined();
  });

  it('sanitizes strings and allows up to 1000 characters', () => {
    expect(validateTrait('a@b.c', 'email')).toBe('a@b.c');
    expect(validateTrait('Ada\u0000', 'name')).toBe('Ada\uFFFD');
    expect(validateTrait('', 'lastName')).toBe('');
    expect(validateTrait('x'.repeat(1000), 'name')).toHaveLength(1000);
    expect(refusal(() => validateTrait('x'.repeat(1001), 'name')).message).toBe('name is longer than 1000 characters');
  });

  it('refuses numbers, booleans, objects and arrays', () => {
    expect(refusal(() => validateTrait(5551234, 'phone')).message).toBe('phone must be a string, got number');
    expect(refusal(() => validateTrait(true, 'firstName')).message).toBe('firstName must be a string, got boolean');
    refusal(() => validateTrait({}, 'email'));
    refusal(() => validateTrait(['a'], 'email'));
  });
});
