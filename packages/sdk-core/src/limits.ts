/**
 * The server limits the client checks, as literals: importing `@tessera/protocol`'s tables would
 * put all of them in the browser bundle (5 KB budget). test/limits.test.ts keeps them equal.
 */

/** `Limits.maxIdLength`. */
export const MAX_ID_LENGTH = 255;
/** `Limits.maxEventNameLength`. */
export const MAX_EVENT_NAME_LENGTH = 200;
/** `Limits.maxTokenBytes`. */
export const MAX_TOKEN_BYTES = 4096;
/** `Limits.maxBodyBytes`. */
export const MAX_BODY_BYTES = 512 * 1024;
/** `Limits.maxBatchItems`. */
export const MAX_BATCH_ITEMS = 1000;
/** `placeholderIds`: ids that SDK bugs produce and that never name a person. */
export const PLACEHOLDER_ID = /^(null|undefined|anonymous|0|\[object object\]|0{8}-0{4}-0{4}-0{4}-0{12})$/i;
