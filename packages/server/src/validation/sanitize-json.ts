/** Single-pass sanitizer for client JSON (event data, custom traits): safe for jsonb, bounded in size and depth. */
import { Limits, type JsonObject, type JsonValue } from '@tessera/protocol';
import { invalidInput } from '../errors.ts';
import { quoteForMessage, typeName } from './type-name.ts';

const REPLACEMENT = '\uFFFD';
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** UTF-8 bytes of the last string scanned, as JSON.stringify would write it (quotes included). */
let scannedBytes = 0;

/**
 * Replaces NUL and unpaired surrogates with U+FFFD in one pass and, as a side effect, sets
 * `scannedBytes` to the UTF-8 size of the result serialized as a JSON string.
 */
function scan(s: string): string {
  const n = s.length;
  let bytes = 2;
  let out: string | undefined;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20) bytes += c === 0x22 || c === 0x5c ? 2 : 1;
      else if (c === 0) {
        bytes += 3;
        out = (out ?? '') + s.slice(last, i) + REPLACEMENT;
        last = i + 1;
      } else bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    } else if (c < 0x800) bytes += 2;
    else if (c < 0xd800 || c > 0xdfff) bytes += 3;
    else if (c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else {
      bytes += 3;
      out = (out ?? '') + s.slice(last, i) + REPLACEMENT;
      last = i + 1;
    }
  }
  scannedBytes = bytes;
  return out === undefined ? s : out + s.slice(last);
}

/**
 * Replaces `\u0000` and lone (unpaired) UTF-16 surrogates with U+FFFD, which PostgreSQL accepts.
 * Returns `s` itself when nothing needed replacing. For ids, names and trait values.
 */
export function sanitizeString(s: string): string {
  return scan(s);
}

/** True for `{}`-like objects: prototype is Object.prototype or null (JSON.parse, GraphQL JSON). */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

class Walker {
  private bytes = 0;
  private readonly path: (string | number)[] = [];

  constructor(private readonly what: string) {}

  private fail(problem: string): never {
    let where = this.what;
    for (const part of this.path) {
      where += typeof part === 'number' ? `[${part}]` : `.${part.length > 40 ? `${part.slice(0, 40)}…` : part}`;
    }
    throw invalidInput(`${where} ${problem}`);
  }

  private add(n: number): void {
    this.bytes += n;
    if (this.bytes > Limits.maxJsonBytes) {
      this.fail(`is too large: ${this.what} may be at most ${Limits.maxJsonBytes} bytes once serialized`);
    }
  }

  value(v: unknown, depth: number): JsonValue {
    switch (typeof v) {
      case 'string': {
        const s = scan(v);
        this.add(scannedBytes);
        return s;
      }
      case 'number':
        if (!Number.isFinite(v)) this.fail(`must be a finite number, got ${String(v)}`);
        this.add(String(v).length);
        return v;
      case 'boolean':
        this.add(v ? 4 : 5);
        return v;
      case 'object':
        if (v === null) {
          this.add(4);
          return null;
        }
        if (Array.isArray(v)) return this.array(v, depth + 1);
        if (isPlainObject(v)) return this.object(v, depth + 1);
        return this.fail('must be plain JSON (object, array, string, number, boolean or null)');
      default:
        return this.fail(`must be a JSON value, got ${typeName(v)}`);
    }
  }

  array(arr: readonly unknown[], depth: number): JsonValue[] {
    if (depth > Limits.maxJsonDepth) this.fail(`is nested too deeply: at most ${Limits.maxJsonDepth} levels`);
    this.add(2);
    const n = arr.length;
    const out: JsonValue[] = new Array<JsonValue>(n);
    for (let i = 0; i < n; i++) {
      if (i > 0) this.add(1);
      const item = arr[i];
      this.path.push(i);
      // Like JSON.stringify: undefined (or a hole) in an array becomes null.
      out[i] = item === undefined ? (this.add(4), null) : this.value(item, depth);
      this.path.pop();
    }
    return out;
  }

  object(obj: Record<string, unknown>, depth: number): JsonObject {
    if (depth > Limits.maxJsonDepth) this.fail(`is nested too deeply: at most ${Limits.maxJsonDepth} levels`);
    this.add(2);
    const out: JsonObject = {};
    let count = 0;
    let renamed = false;
    for (const key of Object.keys(obj)) {
      if (FORBIDDEN_KEYS.has(key)) this.fail(`must not contain the key ${quoteForMessage(key)}`);
      const item = obj[key];
      if (item === undefined) continue; // JSON.stringify drops it too
      const k = scan(key);
      if (k !== key) renamed = true;
      // Two keys can only collide once NUL/surrogates were replaced in one of them.
      if (renamed && Object.hasOwn(out, k)) {
        this.fail(`has two keys that are the same once invalid characters are replaced: ${quoteForMessage(k)}`);
      }
      this.add(scannedBytes + (count > 0 ? 2 : 1));
      this.path.push(k);
      out[k] = this.value(item, depth);
      this.path.pop();
      count++;
    }
    return out;
  }
}

/**
 * Validates and sanitizes a client JSON object (event `data`, custom traits) in one pass.
 * `null`/`undefined` become `{}`. Refuses anything but a plain object at the top, the keys
 * `__proto__`/`constructor`/`prototype` at any depth, nesting deeper than `Limits.maxJsonDepth`
 * (the top object is depth 1; arrays count as a level), non-finite numbers, non-JSON values, and a
 * result larger than `Limits.maxJsonBytes` UTF-8 bytes as JSON.stringify writes it. NUL and lone
 * surrogates in strings and keys become U+FFFD. Never mutates `value`; returns new plain objects.
 * @param what names the value in error messages, e.g. `'data'` or `'traits'`.
 * @throws TesseraError INVALID_INPUT
 */
export function sanitizeJson(value: unknown, what: string): JsonObject {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) {
    throw invalidInput(`${what} must be a JSON object, got ${typeName(value)}`);
  }
  return new Walker(what).object(value, 1);
}
