/** A user's contacts (DashX fetchContacts / saveContacts): email addresses, phones, push tokens. */
import { invalidInput } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import { sanitizeString, validateTrait } from '../validation/index.ts';
import { authorizeAccount } from './account-scope.ts';
import type { AccountIds } from './account-ids.ts';
import type { Caller } from './caller.ts';

export const contactKinds = ['ANDROID', 'EMAIL', 'IOS', 'PHONE', 'WEB', 'WHATSAPP'] as const;
export const contactStatuses = ['BLACKLISTED', 'NOT_SUBSCRIBED', 'REVOKED', 'SUBSCRIBED', 'UNSUBSCRIBED'] as const;

export interface Contact {
  id: string;
  accountId: string;
  name: string | null;
  kind: (typeof contactKinds)[number];
  value: string;
  unverifiedValue: string | null;
  verifiedAt: Date | null;
  status: (typeof contactStatuses)[number];
  tag: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactStub {
  kind?: unknown;
  value?: unknown;
  tag?: unknown;
  status?: unknown;
  shouldDestroy?: unknown;
}

const COLUMNS = `c.id, c.account_id AS "accountId", c.name, c.kind, c.value, c.unverified_value AS "unverifiedValue",
  c.verified_at AS "verifiedAt", c.status, c.tag, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

export class ContactService {
  constructor(
    private readonly db: Database,
    private readonly accountIds: AccountIds,
  ) {}

  async fetch(caller: Caller, uidInput: unknown): Promise<Contact[]> {
    const uid = authorizeAccount(caller, uidInput, 'uid');
    return this.db.query<Contact>(
      `SELECT ${COLUMNS} FROM contacts c JOIN accounts a ON a.id = c.account_id
       WHERE a.environment_id = $1 AND a.uid = $2 ORDER BY c.created_at, c.kind, c.value`,
      [caller.environment.id, uid],
    );
  }

  /** Adds or updates each contact (by kind and value), or removes it with `shouldDestroy`. */
  async save(caller: Caller, uidInput: unknown, stubs: unknown): Promise<Contact[]> {
    const uid = authorizeAccount(caller, uidInput, 'uid');
    if (!Array.isArray(stubs)) throw invalidInput('contacts must be a list');
    if (stubs.length > 100) throw invalidInput('Save at most 100 contacts at once');
    const parsed = stubs.map((s: ContactStub, i) => parseStub(s, i));
    await this.accountIds.withAccount(caller.environment.id, { kind: 'USER', uid }, true, (accountId) =>
      this.db.transaction(async (tx) => {
        for (const c of parsed) {
          if (c.destroy) {
            await tx.query('DELETE FROM contacts WHERE account_id = $1 AND kind = $2 AND value = $3', [
              accountId,
              c.kind,
              c.value,
            ]);
          } else {
            await tx.query(
              `INSERT INTO contacts (account_id, kind, value, tag, status) VALUES ($1, $2, $3, $4, coalesce($5, 'SUBSCRIBED'))
             ON CONFLICT (account_id, kind, value) DO UPDATE SET
               tag = coalesce(EXCLUDED.tag, contacts.tag), status = coalesce($5, contacts.status), updated_at = now()`,
              [accountId, c.kind, c.value, c.tag ?? null, c.status ?? null],
            );
          }
        }
      }),
    );
    return this.fetch(caller, uid);
  }
}

function parseStub(stub: ContactStub, index: number) {
  const where = `contacts[${index}]`;
  if (typeof stub !== 'object' || stub === null) throw invalidInput(`${where} must be an object`);
  if (!contactKinds.includes(stub.kind as never))
    throw invalidInput(`${where}.kind must be one of ${contactKinds.join(', ')}`);
  if (typeof stub.value !== 'string' || stub.value.trim() === '' || stub.value.length > 1000) {
    throw invalidInput(`${where}.value must be a non-empty string of at most 1000 characters`);
  }
  if (stub.status != null && !contactStatuses.includes(stub.status as never)) {
    throw invalidInput(`${where}.status must be one of ${contactStatuses.join(', ')}`);
  }
  return {
    kind: stub.kind as Contact['kind'],
    value: sanitizeString(stub.value),
    tag: validateTrait(stub.tag, `${where}.tag`),
    status: (stub.status ?? undefined) as Contact['status'] | undefined,
    destroy: stub.shouldDestroy === true,
  };
}
