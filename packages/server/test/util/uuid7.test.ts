import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../src/util/uuid7.ts';

const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid7', () => {
  it('has the RFC 9562 version 7 layout, with the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 30, 12, 34, 56, 789);
    const id = uuid7(at);
    expect(id).toMatch(shape);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(uuid7(0).startsWith('00000000-0000-7')).toBe(true);
    expect(uuid7(2 ** 48 - 1).startsWith('ffffffff-ffff-7')).toBe(true);
  });

  it('sorts by time, and is unique across many pools of random bytes', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuid7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const sameMs = Array.from({ length: 5000 }, () => uuid7(1_700_000_000_000));
    expect(new Set(sameMs).size).toBe(sameMs.length);
    for (const id of sameMs.slice(0, 300)) expect(id).toMatch(shape);
  });
});
