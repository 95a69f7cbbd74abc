/**
 * B5: the raw indexed query behind an account timeline — the 50 newest events of one account
 * (`events_timeline` index) among all the seeded ones — run back to back from one client, p50.
 */
import type { DirectDb } from '../lib/database.ts';
import { timedLoop, type LoopResult } from '../lib/loop.ts';

const NEWEST_50 = `
  SELECT id, account_id AS "accountId", name, data, "timestamp", received_at AS "receivedAt",
         system_context AS "systemContext", verified, timestamp_clamped AS "timestampClamped", message_id AS "messageId"
  FROM events WHERE account_id = $1 ORDER BY "timestamp" DESC, id DESC LIMIT 50`;

export interface TimelineOptions {
  accountId: string;
  warmupSeconds: number;
  durationSeconds: number;
}

export async function timelineBaseline(db: DirectDb, options: TimelineOptions): Promise<LoopResult> {
  const rows = await db.query(NEWEST_50, [options.accountId]);
  if (rows.length !== 50) throw new Error(`the timeline query found ${rows.length} events, expected 50`);
  return timedLoop({
    concurrency: 1,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    op: async () => {
      await db.query(NEWEST_50, [options.accountId]);
    },
  });
}
