/** Input validation for the ingest path: ids, names, traits, JSON payloads and timestamps. */
export { sanitizeJson, sanitizeString } from './sanitize-json.ts';
export { maxTraitLength, validateEventName, validateId, validateMessageId, validateTrait } from './ids.ts';
export { clockSkewMs, resolveTimestamp } from './timestamp.ts';
export { nonTraitKeys, splitTraits, type SplitTraits } from './traits.ts';
