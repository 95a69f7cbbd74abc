/** Test helper: runs a function that must refuse its input with INVALID_INPUT, returns the error. */
import { expect } from 'vitest';
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../../src/errors.ts';

/** Calls `fn`, asserts it threw a TesseraError with code INVALID_INPUT, and returns that error. */
export function refusal(fn: () => unknown): TesseraError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
    expect((err as TesseraError).code).toBe(ErrorCode.INVALID_INPUT);
    return err as TesseraError;
  }
  throw new Error('expected an INVALID_INPUT refusal, but nothing was thrown');
}
