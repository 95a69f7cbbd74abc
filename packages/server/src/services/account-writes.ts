/**
 * Account keys and trait changes, and the single-row upsert used inside merge transactions.
 * (Identify and tracking write accounts through the group-committing AccountWriter.)
 */
import type { JsonObject, StandardTraitName } from '@tessera/protocol';
import type { Queryable } from '../storage/database.ts';

export type AccountKey = { kind: 'USER'; uid: string } | { kind: 'VISITOR'; anonymousUid: string };

export interface TraitChanges {
  standard: Partial<Record<StandardTraitName, string>>;
  custom: JsonObject;
}

export const noTraits: TraitChanges = { standard: {}, custom: {} };

/** Each standard trait and its column. */
export const STANDARD_TRAIT_COLUMNS = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['name', 'name'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
] as const satisfies ReadonlyArray<readonly [StandardTraitName, string]>;

/** The id column and conflict target of each kind of account. */
function keyOf(key: AccountKey): { column: 'uid' | 'anonymous_uid'; value: string } {
  return key.kind === 'USER' ? { column: 'uid', value: key.uid } : { column: 'anonymous_uid', value: key.anonymousUid };
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
