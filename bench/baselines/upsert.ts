/**
 * B4: the single-row account upsert with a jsonb merge that identify amounts to — the same SQL
 * shape as the server's per-account upsert (`INSERT … ON CONFLICT (environment_id, uid) DO UPDATE`,
 * standard traits coalesced, `custom = a.custom || EXCLUDED.custom`, RETURNING the account) —
 * from a pool of 10 connections driven by 50 concurrent loops, over the same 1000 users as P4.
 */
import type { DirectDb } from '../lib/database.ts';
import { timedLoop, type LoopResult } from '../lib/loop.ts';
import { POOL_SIZE, identifyTraits, identifyUid } from '../workload.ts';

const UPSERT = `
  INSERT INTO accounts AS a (environment_id, kind, uid, email, phone, name, first_name, last_name, custom, verified,
                             unverified_traits)
  VALUES ($1, 'USER', $2, $3, NULL, $4, $5, NULL, $6::jsonb, true, '{}'::text[])
  ON CONFLICT (environment_id, uid) DO UPDATE SET
    email = coalesce(EXCLUDED.email, a.email),
    phone = coalesce(EXCLUDED.phone, a.phone),
    name = coalesce(EXCLUDED.name, a.name),
    first_name = coalesce(EXCLUDED.first_name, a.first_name),
    last_name = coalesce(EXCLUDED.last_name, a.last_name),
    custom = a.custom || EXCLUDED.custom,
    verified = a.verified OR EXCLUDED.verified,
    unverified_traits = array(SELECT unnest(a.unverified_traits) EXCEPT SELECT unnest($7::text[])),
    updated_at = now(),
    last_seen_at = now()
  RETURNING id, environment_id AS "environmentId", kind, uid, anonymous_uid AS "anonymousUid", email, phone, name,
    first_name AS "firstName", last_name AS "lastName", custom, verified, unverified_traits AS "unverifiedTraits",
    merged_into_id AS "mergedIntoId", created_at AS "createdAt", updated_at AS "updatedAt", last_seen_at AS "lastSeenAt"`;

export interface UpsertOptions {
  environmentId: string;
  /** Concurrent loops. Default 50 (as P4's connections). */
  concurrency?: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export async function upsertBaseline(db: DirectDb, options: UpsertOptions): Promise<LoopResult> {
  return timedLoop({
    concurrency: options.concurrency ?? 50,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    op: async () => {
      const uid = identifyUid(Math.floor(Math.random() * POOL_SIZE));
      const traits = identifyTraits(uid);
      await db.query(UPSERT, [
        options.environmentId,
        uid,
        traits.email,
        traits.name,
        traits.firstName,
        '{}',
        ['email', 'name', 'firstName'],
      ]);
    },
  });
}
