/** Validation of account ids, event names and standard trait values as clients send them. */
import { Limits, placeholderIds } from '@tessera/protocol';
import { invalidInput } from '../errors.ts';
import { sanitizeString } from './sanitize-json.ts';
import { quoteForMessage, typeName } from './type-name.ts';

/** Longest value accepted for a standard trait (email, phone, name, firstName, lastName). */
export const maxTraitLength = 1000;

/**
 * Validates an account id (`uid`, `anonymousUid`, `accountUid`, …).
 * `undefined`/`null` mean "not provided" (iOS sends explicit nulls) and give `undefined`.
 * Safe-integer numbers become strings (`identify(42)` sends `"42"`); other numbers and every other
 * non-string are refused. The string is returned unchanged (ids are opaque) but must not be empty
 * or blank, longer than `Limits.maxIdLength` UTF-16 units, a placeholder from `placeholderIds`
 * (case-insensitive, after trim) or contain NUL or unpaired surrogates.
 * @param field names the id in error messages, e.g. `'accountUid'`.
 * @throws TesseraError INVALID_INPUT
 */
export function validateId(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  let id: string;
  if (typeof value === 'string') id = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw invalidInput(`${field} ${String(value)} is not a valid id: send ids as strings`);
    }
    id = String(value);
  } else throw invalidInput(`${field} must be a string, got ${typeName(value)}`);

  if (id.length > Limits.maxIdLength) {
    throw invalidInput(`${field} is longer than ${Limits.maxIdLength} characters`);
  }
  const trimmed = id.trim();
  if (trimmed === '') throw invalidInput(`${field} must not be empty`);
  if (placeholderIds.has(trimmed.toLowerCase())) {
    throw invalidInput(`${field} ${JSON.stringify(id)} is not a valid id`);
  }
  refuseUnstorable(id, field);
  return id;
}

/**
 * Validates a client's message id: `undefined`/`null` give `undefined` (the server assigns one),
 * otherwise a string of 1 to `Limits.maxIdLength` characters, kept as sent (no trimming, no
 * placeholders: it is an idempotency key, not an account id).
 * @throws TesseraError INVALID_INPUT
 */
export function validateMessageId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > Limits.maxIdLength) {
    throw invalidInput(`messageId must be a string of 1-${Limits.maxIdLength} characters`);
  }
  refuseUnstorable(value, 'messageId');
  return value;
}

/** PostgreSQL text cannot hold NUL, nor JSON an unpaired surrogate: refuse rather than fail the write. */
function refuseUnstorable(value: string, field: string): void {
  if (sanitizeString(value) !== value) {
    throw invalidInput(`${field} must not contain NUL characters or unpaired surrogates`);
  }
}

/**
 * Validates a required event name: a string of 1 to `Limits.maxEventNameLength` characters once
 * NUL and unpaired surrogates are replaced with U+FFFD. Returns the sanitized name.
 * @throws TesseraError INVALID_INPUT
 */
export function validateEventName(value: unknown): string {
  if (value === undefined || value === null) throw invalidInput('event is required');
  if (typeof value !== 'string') throw invalidInput(`event must be a string, got ${typeName(value)}`);
  const name = sanitizeString(value);
  if (name.length === 0) throw invalidInput('event must not be empty');
  if (name.length > Limits.maxEventNameLength) {
    throw invalidInput(`event ${quoteForMessage(name)} is longer than ${Limits.maxEventNameLength} characters`);
  }
  return name;
}

/**
 * Validates a standard trait value (email, phone, name, firstName, lastName).
 * `undefined`/`null` mean "not provided" and give `undefined`. Strings are sanitized (NUL and
 * unpaired surrogates become U+FFFD) and may be at most `maxTraitLength` characters; numbers,
 * booleans, objects and arrays are refused.
 * @throws TesseraError INVALID_INPUT
 */
export function validateTrait(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string, got ${typeName(value)}`);
  if (value.length > maxTraitLength) {
    throw invalidInput(`${field} is longer than ${maxTraitLength} characters`);
  }
  return sanitizeString(value);
}
