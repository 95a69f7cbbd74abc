/** Names the JSON-ish type of a value for error messages ("array", "null", "string", …). */

/** The type of `value` as a client would call it: `null` and `array` are told apart from `object`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Quotes a client-supplied string for a message, shortened so messages stay small. */
export function quoteForMessage(s: string, max = 40): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
