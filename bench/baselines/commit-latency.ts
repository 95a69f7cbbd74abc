/**
 * B0 (context, no goal): how long one durable commit takes on this machine — a one-row INSERT in
 * its own transaction, back to back from one client, into a scratch table dropped afterwards. With
 * c concurrent requests that each wait for a commit, throughput is at most c ÷ this latency (Little's
 * law), whatever the server does; P1's ceiling follows from it.
 */
import type { DirectDb } from '../lib/database.ts';
import { timedLoop, type LoopResult } from '../lib/loop.ts';

export async function commitLatencyBaseline(
  db: DirectDb,
  options: { warmupSeconds: number; durationSeconds: number },
): Promise<LoopResult> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigint NOT NULL, at timestamptz NOT NULL)');
  try {
    return await timedLoop({
      concurrency: 1,
      ...options,
      op: async (n) => {
        await db.query('INSERT INTO bench_commit_probe VALUES ($1, now())', [n]);
      },
    });
  } finally {
    await db.query('DROP TABLE bench_commit_probe');
  }
}
