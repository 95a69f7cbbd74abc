/** A user's stored preferences (DashX fetchStoredPreferences / saveStoredPreferences). */
import type { JsonObject } from '@tessera/protocol';
import type { Database } from '../storage/database.ts';
import { sanitizeJson } from '../validation/index.ts';
import { authorizeAccount } from './account-scope.ts';
import type { AccountIds } from './account-ids.ts';
import type { Caller } from './caller.ts';

export class PreferenceService {
  constructor(
    private readonly db: Database,
    private readonly accountIds: AccountIds,
  ) {}

  /** The stored preferences, `{}` when none were saved (or the user is not known yet). */
  async fetch(caller: Caller, accountUid: unknown): Promise<JsonObject> {
    const uid = authorizeAccount(caller, accountUid, 'accountUid');
    const rows = await this.db.query<{ data: JsonObject }>(
      `SELECT p.data FROM stored_preferences p JOIN accounts a ON a.id = p.account_id
       WHERE a.environment_id = $1 AND a.uid = $2`,
      [caller.environment.id, uid],
    );
    return rows[0]?.data ?? {};
  }

  /** Replaces the stored preferences (creating the user if new). */
  async save(caller: Caller, accountUid: unknown, preferenceData: unknown): Promise<void> {
    const uid = authorizeAccount(caller, accountUid, 'accountUid');
    const data = sanitizeJson(preferenceData, 'preferenceData');
    await this.accountIds.withAccount(caller.environment.id, { kind: 'USER', uid }, true, (accountId) =>
      this.db.query(
        `INSERT INTO stored_preferences (account_id, data) VALUES ($1, $2::jsonb)
         ON CONFLICT (account_id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
        [accountId, JSON.stringify(data)],
      ),
    );
  }
}
