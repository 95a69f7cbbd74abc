// The rules of an allowed origin (normalised on write, matched exactly or by a leading `*.`), and
// the in-memory union preflights answer from (refreshed on change, at most every few seconds).
import { describe, expect, it } from 'vitest';
import { normalizeOrigin, originAllowed, parseAllowedOrigins } from '../../src/services/allowed-origins.ts';
import { BrowserOrigins } from '../../src/services/browser-origins.ts';

describe('allowed origins', () => {
  it('normalises case, default ports and international names; keeps other ports and schemes', () => {
    expect(normalizeOrigin('HTTPS://Shop.Example.COM:443')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://example.com:80')).toBe('http://example.com');
    expect(normalizeOrigin('http://example.com:8080')).toBe('http://example.com:8080');
    expect(normalizeOrigin('https://bücher.example')).toBe('https://xn--bcher-kva.example');
    expect(normalizeOrigin('capacitor://LocalHost')).toBe('capacitor://localhost');
    expect(normalizeOrigin('https://*.example.com')).toBeUndefined();
    expect(normalizeOrigin('https://*.example.com', { wildcard: true })).toBe('https://*.example.com');
    expect(normalizeOrigin('null')).toBeUndefined();
  });

  it('treats null and [] as open, removes duplicates, and names the first bad entry', () => {
    expect(parseAllowedOrigins(null)).toBeNull();
    expect(parseAllowedOrigins([])).toBeNull();
    expect(parseAllowedOrigins(['https://a.example.com', 'HTTPS://A.example.com'])).toEqual(['https://a.example.com']);
    expect(() => parseAllowedOrigins(['https://a.example.com', 'https://b.example.com/x'])).toThrow(
      /"https:\/\/b\.example\.com\/x" has a path/,
    );
  });

  it('matches exactly, or any subdomain of a wildcard on the same scheme and port', () => {
    const list = ['https://shop.example.com', 'https://*.preview.example.com', 'http://*.local.test:3000'];
    expect(originAllowed(null, 'https://anything.example')).toBe(true);
    expect(originAllowed(list, 'https://shop.example.com')).toBe(true);
    expect(originAllowed(list, 'https://SHOP.example.com:443')).toBe(true);
    expect(originAllowed(list, 'https://a.b.preview.example.com')).toBe(true);
    expect(originAllowed(list, 'http://app.local.test:3000')).toBe(true);
    for (const refused of [
      'https://preview.example.com',
      'http://a.preview.example.com',
      'https://a.preview.example.com:8443',
      'http://app.local.test',
      'https://evilpreview.example.com',
      'https://shop.example.com.evil.net',
      'null',
    ]) {
      expect({ refused, allowed: originAllowed(list, refused) }).toEqual({ refused, allowed: false });
    }
  });
});

describe('the union of allowed origins (BrowserOrigins)', () => {
  it('is open while no environment exists or one is open, else allows what some list names', async () => {
    let lists: Array<string[] | null> = [];
    const union = new BrowserOrigins(async () => lists);
    await union.refresh();
    expect(union.allows('https://any.example')).toBe(true);
    lists = [['https://a.example.com'], null];
    await union.refresh();
    expect(union.allows('https://any.example')).toBe(true);
    lists = [['https://a.example.com'], ['https://*.b.example.com']];
    await union.refresh();
    expect(union.allows('https://any.example')).toBe(false);
    expect(union.allows('https://a.example.com')).toBe(true);
    expect(union.allows('https://x.b.example.com')).toBe(true);
  });

  it('reloads in the background once older than its TTL, and never waits for it', async () => {
    let t = 0;
    let loads = 0;
    let lists: Array<string[] | null> = [['https://a.example.com']];
    const union = new BrowserOrigins(
      async () => {
        loads++;
        return lists;
      },
      { ttlMs: 5_000, now: () => t },
    );
    await union.refresh();
    lists = [null];
    t = 4_000;
    expect(union.allows('https://other.example')).toBe(false);
    expect(loads).toBe(1);
    t = 6_000;
    expect(union.allows('https://other.example')).toBe(false); // answered from the old union…
    await union.settled();
    expect(loads).toBe(2);
    expect(union.allows('https://other.example')).toBe(true); // …and the next from the new one
  });

  it('runs a change asked for during a reload after it, so the change is seen', async () => {
    const answers: Array<(lists: Array<string[] | null>) => void> = [];
    const union = new BrowserOrigins(() => new Promise((resolve) => answers.push(resolve)));
    const first = union.refresh();
    const second = union.refresh();
    expect(answers).toHaveLength(1);
    answers[0]!([null]);
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toHaveLength(2);
    answers[1]!([['https://a.example.com']]);
    await second;
    expect(union.allows('https://other.example')).toBe(false);
  });
});
