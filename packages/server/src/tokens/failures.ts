/** The refusals of identity-token verification, one frozen value each (DashX's exact messages). */
import { DashXMessage } from '@tessera/protocol';
import type { TokenFailure } from './types.ts';

const failure = (message: string, reason?: 'IDENTITY_TOKEN_EXPIRED'): TokenFailure =>
  Object.freeze(reason ? { ok: false, message, reason } : { ok: false, message });

export const improperFormat = failure(DashXMessage.tokenImproperFormat);
export const invalidSignature = failure(DashXMessage.tokenInvalidSignature);
export const missingUid = failure(DashXMessage.tokenMissingUid);
export const expired = failure(DashXMessage.tokenExpired, 'IDENTITY_TOKEN_EXPIRED');
