/** Splits identify input into validated standard traits and sanitized custom traits. */
import { standardTraitNames, type JsonObject, type StandardTraitName } from '@tessera/protocol';
import { invalidInput } from '../errors.ts';
import { validateTrait } from './ids.ts';
import { sanitizeJson } from './sanitize-json.ts';
import { typeName } from './type-name.ts';

const STANDARD: ReadonlySet<string> = new Set<string>(standardTraitNames);

/** Identify input keys that are neither standard nor custom traits. */
export const nonTraitKeys: ReadonlySet<string> = new Set([
  'uid',
  'anonymousUid',
  'systemContext',
  'targetEnvironment',
  'scope',
]);

/** Standard traits that were provided, and everything else as custom JSON. */
export interface SplitTraits {
  standard: Partial<Record<StandardTraitName, string>>;
  custom: JsonObject;
}

/**
 * Splits identify input (or a native `traits` object) into traits.
 * Standard names (`standardTraitNames`) go through {@link validateTrait}; `null` means "not
 * provided" and is dropped. Every other key except `uid`, `anonymousUid`, `systemContext`,
 * `targetEnvironment` and `scope` is a custom trait; top-level `null` values are dropped, and the
 * rest is checked with {@link sanitizeJson} under the name `traits`.
 * @throws TesseraError INVALID_INPUT
 */
export function splitTraits(input: Record<string, unknown>): SplitTraits {
  const value: unknown = input;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInput(`traits must be a JSON object, got ${typeName(value)}`);
  }
  const standard: Partial<Record<StandardTraitName, string>> = {};
  // Null prototype: a "__proto__" key stays an own key here, and sanitizeJson refuses it.
  const rest: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let hasCustom = false;
  for (const key of Object.keys(input)) {
    const item = input[key];
    if (STANDARD.has(key)) {
      const trait = validateTrait(item, key);
      if (trait !== undefined) standard[key as StandardTraitName] = trait;
    } else if (!nonTraitKeys.has(key) && item !== null && item !== undefined) {
      rest[key] = item;
      hasCustom = true;
    }
  }
  return { standard, custom: hasCustom ? sanitizeJson(rest, 'traits') : {} };
}
