// The one error class of every SDK: its fields, and recognising one from another copy of an SDK.
import { ClientErrorCode, ErrorCode } from '@tessera/protocol';
import { describe, expect, it } from 'vitest';
import { isTesseraError, TesseraError } from '../src/index.ts';

describe('TesseraError', () => {
  it('carries the code, message, what was lost and the server details', () => {
    const cause = new Error('socket hang up');
    const err = new TesseraError('RATE_LIMITED', 'Slow down', { status: 429, retryAfterMs: 2000, dropped: 3, cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'TesseraError', code: 'RATE_LIMITED', message: 'Slow down', status: 429 });
    expect(err).toMatchObject({ retryAfterMs: 2000, dropped: 3, cause });
  });

  it('loses nothing and has no cause unless told', () => {
    const err = new TesseraError('CONFIGURATION', 'Bad publicKey');
    expect(err.dropped).toBe(0);
    expect('cause' in err).toBe(false);
    expect(err.status).toBeUndefined();
  });

  it('is recognised across copies of an SDK, and nothing else is', () => {
    class OtherCopy extends Error {
      override name = 'TesseraError';
      code = 'QUEUE_FULL';
    }
    expect(isTesseraError(new TesseraError('NETWORK', 'down'))).toBe(true);
    expect(isTesseraError(new OtherCopy())).toBe(true);
    expect(isTesseraError(new Error('TesseraError'))).toBe(false);
    expect(isTesseraError({ name: 'TesseraError', code: 'NETWORK' })).toBe(false);
  });

  it('the server codes and the SDK codes are two sets that do not overlap', () => {
    const server = Object.values(ErrorCode) as string[];
    expect(Object.values(ClientErrorCode).filter((c) => server.includes(c))).toEqual([]);
  });
});
