// The client's copies of the server limits (kept as literals for bundle size) match @tessera/protocol.
import { Limits, placeholderIds } from '@tessera/protocol';
import { expect, it } from 'vitest';
import * as copies from '../src/limits.ts';

it('matches @tessera/protocol', () => {
  expect(copies.MAX_ID_LENGTH).toBe(Limits.maxIdLength);
  expect(copies.MAX_EVENT_NAME_LENGTH).toBe(Limits.maxEventNameLength);
  expect(copies.MAX_TOKEN_BYTES).toBe(Limits.maxTokenBytes);
  expect(copies.MAX_BODY_BYTES).toBe(Limits.maxBodyBytes);
  expect(copies.MAX_BATCH_ITEMS).toBe(Limits.maxBatchItems);
  for (const id of placeholderIds) {
    expect(copies.PLACEHOLDER_ID.test(id)).toBe(true);
    expect(copies.PLACEHOLDER_ID.test(id.toUpperCase())).toBe(true);
  }
  for (const id of ['user-1', '00000000-0000-0000-0000-000000000001', 'nullable', '10']) {
    expect(copies.PLACEHOLDER_ID.test(id)).toBe(false);
  }
});
