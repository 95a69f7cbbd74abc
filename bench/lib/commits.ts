/**
 * How well the server's group commit coalesces, seen from PostgreSQL: transactions committed in the
 * bench database and events stored during a run (pg_stat_database is flushed by backends about once
 * a second, so commit counts are good to a few per cent over a 10 s run). PostgreSQL only: PGlite
 * lives inside the server process.
 */
import { openDirect, type DirectDb } from './database.ts';

export interface CommitStats {
  commitsPerSecond: number;
  /** Events stored per committed transaction (the average group-commit batch, counting all transactions). */
  eventsPerCommit: number;
}

interface Counters {
  commits: number;
  events: number;
  at: bigint;
}

async function read(db: DirectDb): Promise<Counters> {
  const [row] = await db.query<{ commits: string; events: string }>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
            (SELECT last_value FROM pg_sequences WHERE sequencename = 'events_id_seq') AS events`,
  );
  return { commits: Number(row?.commits ?? 0), events: Number(row?.events ?? 0), at: process.hrtime.bigint() };
}

/**
 * @example const watch = await watchCommits(url); …run…; const stats = await watch.stop();
 */
export async function watchCommits(url: string): Promise<{ stop(): Promise<CommitStats> }> {
  const db = await openDirect(url, { connections: 1 });
  const before = await read(db);
  return {
    async stop() {
      try {
        const after = await read(db);
        const seconds = Number(after.at - before.at) / 1e9;
        // Our own two reads are transactions too.
        const commits = Math.max(1, after.commits - before.commits - 2);
        return { commitsPerSecond: commits / seconds, eventsPerCommit: (after.events - before.events) / commits };
      } finally {
        await db.close();
      }
    },
  };
}
