/**
 * Entry of the database baselines' process (the bench starts it pinned to the server's core, so a
 * baseline gets the same CPU as the server): runs the baselines named in its JSON argument one
 * after the other and prints `BASELINE_RESULT {…}` with their results.
 */
import { openDirect } from '../lib/database.ts';
import type { LoopResult } from '../lib/loop.ts';
import { commitLatencyBaseline } from './commit-latency.ts';
import { copyBaseline } from './copy.ts';
import { timelineBaseline } from './timeline-query.ts';
import { upsertBaseline } from './upsert.ts';
import { POOL_SIZE, range, visitorUid } from '../workload.ts';

export interface BaselineRequest {
  databaseUrl: string;
  environmentId: string;
  timelineAccountId: string;
  warmupSeconds: number;
  durationSeconds: number;
  run: Array<'B0' | 'B3' | 'B4' | 'B5'>;
}

export type BaselineResults = Partial<Record<'B0' | 'B3' | 'B4' | 'B5', LoopResult & { rowsPerSecond?: number }>>;

const request = JSON.parse(process.argv[2] ?? '{}') as BaselineRequest;
const timing = { warmupSeconds: request.warmupSeconds, durationSeconds: request.durationSeconds };
const results: BaselineResults = {};

// A pool of 10 connections, like the server's: B4 uses them all; B3 and B5 run one statement at a
// time, so they use one.
const db = await openDirect(request.databaseUrl, { connections: 10 });
try {
  for (const id of request.run) {
    if (id === 'B0') {
      // Context only: a short run is enough.
      results.B0 = await commitLatencyBaseline(db, {
        warmupSeconds: Math.min(1, timing.warmupSeconds),
        durationSeconds: Math.min(3, timing.durationSeconds),
      });
    } else if (id === 'B3') {
      // The pool's visitor accounts, in pool order (seeded before).
      const uids = range(POOL_SIZE).map(visitorUid);
      const rows = await db.query<{ id: string; uid: string }>(
        'SELECT id, anonymous_uid AS uid FROM accounts WHERE environment_id = $1 AND anonymous_uid = ANY($2)',
        [request.environmentId, uids],
      );
      const byUid = new Map(rows.map((r) => [r.uid, r.id]));
      const accountIds = uids.map((uid) => byUid.get(uid) ?? '');
      if (accountIds.includes('')) throw new Error('the visitor pool is not seeded');
      results.B3 = await copyBaseline(db, { environmentId: request.environmentId, accountIds, ...timing });
    } else if (id === 'B4') {
      results.B4 = await upsertBaseline(db, { environmentId: request.environmentId, ...timing });
    } else {
      results.B5 = await timelineBaseline(db, { accountId: request.timelineAccountId, ...timing });
    }
  }
} finally {
  await db.close();
}
process.stdout.write(`BASELINE_RESULT ${JSON.stringify(results)}\n`);
