/** identify and track: the heart of the product, shared by the DashX GraphQL API and `/v1`. */
import { ErrorCode } from '@tessera/protocol';
import { isTesseraError } from '../errors.ts';
import { recordRejectedEvent } from '../metrics/registry.ts';
import { uuid7 } from '../util/uuid7.ts';
import type { Database } from '../storage/database.ts';
import { FOREIGN_KEY_VIOLATION, sqlState } from '../storage/database.ts';
import {
  resolveTimestamp,
  sanitizeJson,
  splitTraits,
  validateEventName,
  validateMessageId,
} from '../validation/index.ts';
import { ACCOUNT_COLUMNS, type Account } from './account-reads.ts';
import type { AccountIds } from './account-ids.ts';
import type { AccountWriter } from './account-writer.ts';
import type { Caller, IdentifyInput, TrackInput } from './caller.ts';
import type { EventRow, EventWriter } from './event-writer.ts';
import { resolveSubject, type IdFields } from './identity.ts';
import type { MergeService } from './merges.ts';

const identifyFields: IdFields = { uid: 'uid', anonymousUid: 'anonymousUid' };
const trackFields: IdFields = { uid: 'accountUid', anonymousUid: 'accountAnonymousUid' };

export class TrackingService {
  constructor(
    private readonly db: Database,
    private readonly accountIds: AccountIds,
    private readonly accounts: AccountWriter,
    private readonly merges: MergeService,
    private readonly writer: EventWriter,
  ) {}

  /** Creates or updates the caller's account with traits; merges a visitor into a verified user. */
  async identify(caller: Caller, input: IdentifyInput, fields: IdFields = identifyFields): Promise<Account> {
    const traits = splitTraits(input.traits);
    const subject = resolveSubject(caller, input.uid, input.anonymousUid, fields);
    const environmentId = caller.environment.id;
    let account = await this.accounts.upsert({ environmentId, key: subject.key, traits, verified: subject.verified });
    this.accountIds.remember(environmentId, subject.key, account.id, account.verified);
    if (subject.mergeAnonymousUid !== undefined) {
      const outcome = await this.merges.mergeVisitor(environmentId, account.id, subject.mergeAnonymousUid);
      // A merge may have copied traits onto the user: answer with what is stored now.
      if (outcome === 'merged') {
        const [merged] = await this.db.query<Account>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [
          account.id,
        ]);
        if (merged) account = merged;
      }
    }
    return account;
  }

  /** Records one event; resolves once it is committed. A refused event is counted (metrics). */
  async track(
    caller: Caller,
    input: TrackInput,
    receivedAt = new Date(),
    fields: IdFields = trackFields,
  ): Promise<void> {
    try {
      await this.#track(caller, input, receivedAt, fields);
    } catch (err) {
      if (isTesseraError(err) && err.code !== ErrorCode.UNAVAILABLE && err.code !== ErrorCode.INTERNAL) {
        recordRejectedEvent(err.code);
      }
      throw err;
    }
  }

  async #track(caller: Caller, input: TrackInput, receivedAt: Date, fields: IdFields): Promise<void> {
    const row = await this.prepareEvent(caller, input, receivedAt, fields);
    try {
      await this.writer.write([row]);
    } catch (err) {
      // The cached account was deleted meanwhile (e.g. by another process): resolve it again, once.
      if (sqlState(err) !== FOREIGN_KEY_VIOLATION) throw err;
      this.accountIds.forgetEnvironment(caller.environment.id);
      await this.writer.write([await this.prepareEvent(caller, input, receivedAt, fields)]);
    }
  }

  /** Validates an event and resolves (creating, merging) its account: a row ready to insert. */
  async prepareEvent(caller: Caller, input: TrackInput, receivedAt: Date, fields: IdFields): Promise<EventRow> {
    const name = validateEventName(input.event);
    const data = sanitizeJson(input.data, 'data');
    const systemContext = input.systemContext == null ? null : sanitizeJson(input.systemContext, 'systemContext');
    // DashX's browser SDK sends ipV4: "NA" and expects the server to fill it in.
    if (systemContext && systemContext.ipV4 === 'NA') systemContext.ipV4 = caller.ip;
    const { timestamp, clamped } = resolveTimestamp(input.timestamp, receivedAt, input.skewMs ?? 0);
    // DashX's SDKs send none: time-ordered ids keep the message-id index append-mostly.
    const messageId = validateMessageId(input.messageId) ?? uuid7();

    const subject = resolveSubject(caller, input.uid, input.anonymousUid, fields);
    const environmentId = caller.environment.id;
    const accountId = await this.accountIds.ensure(environmentId, subject.key, subject.verified);
    if (subject.mergeAnonymousUid !== undefined) {
      await this.merges.mergeVisitor(environmentId, accountId, subject.mergeAnonymousUid);
    }
    return {
      environmentId,
      accountId,
      name,
      data,
      timestampMs: timestamp.getTime(),
      receivedAtMs: receivedAt.getTime(),
      systemContext,
      verified: subject.verified,
      timestampClamped: clamped,
      messageId,
    };
  }
}
