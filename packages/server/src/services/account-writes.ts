/**
 * Creating and updating accounts. Every write is an upsert on a unique key — `(environment, uid)`
 * for users, `(environment, anonymous_uid)` for visitors — so concurrent processes converge on one
 * row without locks. Traits: provided values overwrite, absent ones are kept; custom traits are
 * merged key by key.
 */
import type { StandardTraitName } from '@tessera/protocol';
import type { JsonObject } from '@tessera/protocol';
import type { Queryable } from '../storage/database.ts';
import { ACCOUNT_COLUMNS, type Account } from './account-reads.ts';

export type AccountKey = { kind: 'USER'; uid: string } | { kind: 'VISITOR'; anonymousUid: string };

export interface TraitChanges {
  standard: Partial<Record<StandardTraitName, string>>;
  custom: JsonObject;
}

export const noTraits: TraitChanges = { standard: {}, custom: {} };

const STANDARD_COLUMNS: ReadonlyArray<[StandardTraitName, string]> = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['name', 'name'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
];

/** The id column and conflict target of each kind of account. */
function keyOf(key: AccountKey): { column: 'uid' | 'anonymous_uid'; value: string } {
  return key.kind === 'USER' ? { column: 'uid', value: key.uid } : { column: 'anonymous_uid', value: key.anonymousUid };
}

/**
 * Creates the account if new and applies trait changes. `verified` says whether the caller's
 * identity was proven; the names of traits written without proof are kept in `unverified_traits`
 * (and removed again when a verified write sets them).
 */
export async function upsertAccount(
  q: Queryable,
  environmentId: string,
  key: AccountKey,
  traits: TraitChanges,
  verified: boolean,
): Promise<Account> {
  const { column, value } = keyOf(key);
  const written = [
    ...STANDARD_COLUMNS.filter(([trait]) => traits.standard[trait] !== undefined).map(([trait]) => trait),
    ...Object.keys(traits.custom),
  ];
  const params = [
    environmentId,
    key.kind,
    value,
    ...STANDARD_COLUMNS.map(([trait]) => traits.standard[trait] ?? null),
    JSON.stringify(traits.custom),
    verified,
    written,
  ];
  const [account] = await q.query<Account>(
    `INSERT INTO accounts AS a (environment_id, kind, ${column}, email, phone, name, first_name, last_name, custom,
                                verified, unverified_traits)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, CASE WHEN $10 THEN '{}'::text[] ELSE $11::text[] END)
     ON CONFLICT (environment_id, ${column}) DO UPDATE SET
       ${STANDARD_COLUMNS.map(([, col]) => `${col} = coalesce(EXCLUDED.${col}, a.${col})`).join(',\n       ')},
       custom = a.custom || EXCLUDED.custom,
       verified = a.verified OR EXCLUDED.verified,
       unverified_traits = CASE WHEN $10
         THEN array(SELECT unnest(a.unverified_traits) EXCEPT SELECT unnest($11::text[]))
         ELSE array(SELECT DISTINCT unnest(a.unverified_traits || $11::text[])) END,
       updated_at = CASE WHEN cardinality($11::text[]) > 0 THEN now() ELSE a.updated_at END,
       last_seen_at = now()
     RETURNING ${ACCOUNT_COLUMNS}`,
    params,
  );
  if (!account) throw new Error('upsert returned no row');
  return account;
}

/** Creates the account if new (no trait changes) and returns its id and merge pointer. */
export async function ensureAccount(
  q: Queryable,
  environmentId: string,
  key: AccountKey,
  verified: boolean,
): Promise<{ id: string; mergedIntoId: string | null }> {
  const { column, value } = keyOf(key);
  const [row] = await q.query<{ id: string; mergedIntoId: string | null }>(
    `INSERT INTO accounts AS a (environment_id, kind, ${column}, verified) VALUES ($1, $2, $3, $4)
     ON CONFLICT (environment_id, ${column}) DO UPDATE SET
       last_seen_at = now(), verified = a.verified OR EXCLUDED.verified
     RETURNING id, merged_into_id AS "mergedIntoId"`,
    [environmentId, key.kind, value, verified],
  );
  if (!row) throw new Error('upsert returned no row');
  return row;
}
