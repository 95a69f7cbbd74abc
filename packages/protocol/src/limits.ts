/** Input limits enforced by the server and respected by the SDKs. See the README's "Limits". */
export const Limits = {
  /** Largest request body, in bytes (512 KB). */
  maxBodyBytes: 512 * 1024,
  /** Most items in one `/v1/batch` request. */
  maxBatchItems: 1000,
  /** Event names are 1 to 200 characters. */
  maxEventNameLength: 200,
  /** A uid or anonymous uid is at most 255 characters. */
  maxIdLength: 255,
  /** Event data and custom traits: at most 32 KB once serialized... */
  maxJsonBytes: 32 * 1024,
  /** ...and nested at most 10 levels deep. */
  maxJsonDepth: 10,
  /** Identity tokens longer than this are refused before any parsing (4 KB). */
  maxTokenBytes: 4096,
  /** Timestamps further ahead than this (23 h) are clamped to the receive time and flagged. */
  maxFutureSkewMs: 23 * 60 * 60 * 1000,
  /** Clock leeway allowed when checking a token's `exp`, in seconds. */
  tokenLeewaySeconds: 30,
  /** An environment has at most this many active key pairs (one to use, one to rotate to). */
  maxActiveKeyPairs: 2,
} as const;

/** Ids that SDK bugs produce and that must never name a person. Compared case-insensitively. */
export const placeholderIds: ReadonlySet<string> = new Set([
  'null',
  'undefined',
  'anonymous',
  '0',
  '[object object]',
  '00000000-0000-0000-0000-000000000000',
]);
