/**
 * Who may read or write one user's own data (stored preferences, contacts): the app backend
 * (private key), or a frontend holding a valid identity token for exactly that user.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import { validateId } from '../validation/index.ts';
import type { Caller } from './caller.ts';

/** The validated uid the caller may act on; throws when it may not. */
export function authorizeAccount(caller: Caller, uidInput: unknown, field: string): string {
  const uid = validateId(uidInput, field);
  if (uid === undefined) throw new TesseraError(ErrorCode.INVALID_INPUT, `${field} is required`);
  if (caller.backend || caller.tokenUid === uid) return uid;
  throw new TesseraError(
    ErrorCode.UNAUTHORIZED,
    caller.tokenUid === undefined
      ? `This operation needs an identity token for user "${uid}" (setIdentity(uid, token)) or your private key.`
      : `The identity token is for user "${caller.tokenUid}", not "${uid}".`,
  );
}
