/**
 * B3: PostgreSQL COPY of the rows that P3's batches become, into the same events table with all its
 * indexes, from one client: one COPY statement per 100-row batch, each committed on its own (the
 * durability unit of one `/v1/batch` answer). On PGlite: `COPY … FROM '/dev/blob'`, same rows.
 */
import type { DirectDb } from '../lib/database.ts';
import { timedLoop, type LoopResult } from '../lib/loop.ts';
import { BATCH_SIZE, EVENT_COPY_COLUMNS, RUN_ID, copyRows } from '../workload.ts';

export interface CopyOptions {
  environmentId: string;
  /** The pool's visitor accounts, which the rows belong to. */
  accountIds: readonly string[];
  warmupSeconds: number;
  durationSeconds: number;
}

/** Rows per second are `perSecond × BATCH_SIZE`. */
export async function copyBaseline(
  db: DirectDb,
  options: CopyOptions,
): Promise<LoopResult & { rowsPerSecond: number }> {
  const result = await timedLoop({
    concurrency: 1,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    op: async (n) => {
      const now = new Date().toISOString();
      const text = copyRows(
        options.environmentId,
        options.accountIds,
        (n * 7) % options.accountIds.length,
        now,
        (k) => `${RUN_ID}-b3-${n}-${k}`,
      );
      await db.copy('events', EVENT_COPY_COLUMNS, text);
    },
  });
  return { ...result, rowsPerSecond: result.perSecond * BATCH_SIZE };
}
