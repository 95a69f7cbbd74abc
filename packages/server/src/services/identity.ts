/**
 * Identity resolution: from the caller's proof (private key, identity token, or public key only)
 * and the ids a call names, which account it acts on, whether that is verified, and which
 * visitor (if any) joins the user. The rules are those of docs/identity.md.
 */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError, invalidInput } from '../errors.ts';
import { validateId } from '../validation/index.ts';
import type { AccountKey } from './account-writes.ts';
import type { Caller } from './caller.ts';

export interface Subject {
  key: AccountKey;
  /** Whether the identity behind the call was proven (private key, token, or a visitor itself). */
  verified: boolean;
  /** A visitor to merge into the user: only ever set for a verified user. */
  mergeAnonymousUid: string | undefined;
}

/** The input field names, for messages: `uid`/`anonymousUid` or `accountUid`/`accountAnonymousUid`. */
export interface IdFields {
  uid: string;
  anonymousUid: string;
}

export function resolveSubject(caller: Caller, uidInput: unknown, anonymousInput: unknown, fields: IdFields): Subject {
  const uid = validateId(uidInput, fields.uid);
  const anonymousUid = validateId(anonymousInput, fields.anonymousUid);

  if (caller.backend) {
    if (uid !== undefined) return { key: { kind: 'USER', uid }, verified: true, mergeAnonymousUid: anonymousUid };
    if (anonymousUid !== undefined) return visitor(anonymousUid);
    throw missingIds(fields);
  }

  if (caller.tokenUid !== undefined) {
    if (uid !== undefined && uid !== caller.tokenUid) {
      throw new TesseraError(
        ErrorCode.FORBIDDEN,
        `The identity token is for user "${caller.tokenUid}", but this call names "${uid}".`,
      );
    }
    return { key: { kind: 'USER', uid: caller.tokenUid }, verified: true, mergeAnonymousUid: anonymousUid };
  }

  if (uid !== undefined) {
    if (caller.environment.identityVerification === 'required') {
      throw new TesseraError(
        ErrorCode.UNAUTHORIZED,
        `An identity token is required to act as user "${uid}" in environment "${caller.environment.name}": ` +
          'sign one on your backend and pass it with setIdentity(uid, token).',
      );
    }
    // Optional verification: accepted, marked unverified, and never merges a visitor.
    return { key: { kind: 'USER', uid }, verified: false, mergeAnonymousUid: undefined };
  }

  if (anonymousUid !== undefined) return visitor(anonymousUid);
  throw missingIds(fields);
}

/** A visitor acts on its own account: knowing the anonymous uid is what makes it that visitor. */
function visitor(anonymousUid: string): Subject {
  return { key: { kind: 'VISITOR', anonymousUid }, verified: true, mergeAnonymousUid: undefined };
}

function missingIds(fields: IdFields): TesseraError {
  return invalidInput(`Say who this is: send ${fields.uid} or ${fields.anonymousUid}.`);
}
