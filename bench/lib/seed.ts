/**
 * Sets up the bench database: an environment made with the `tessera` CLI (which also migrates),
 * the pool of visitor accounts, and the timeline data of P5 — `seedEvents` events across 10,000
 * accounts, every 500th of them on one target user, so that it has ≥ 1000 events among the rest.
 */
import { openDirect, type BenchDatabase } from './database.ts';
import { tesseraBin } from './paths.ts';
import { run } from './processes.ts';
import { POOL_SIZE, range, visitorUid } from '../workload.ts';

export interface Seeded {
  environment: { id: string; name: string; publicKey: string; privateKey: string };
  /** The user whose timeline P5 and B5 read. */
  timelineAccountId: string;
  timelineEvents: number;
  seededEvents: number;
}

export const ENVIRONMENT = 'bench';
const SEED_ACCOUNTS = 10_000;
/** Every TARGET_EVERY-th seeded event belongs to the target user: 2000 of 1M. */
const TARGET_EVERY = 500;
const CHUNK = 100_000;

/**
 * @example const seeded = await seed(db, 1_000_000, console.log);
 */
export async function seed(bench: BenchDatabase, events: number, log: (line: string) => void): Promise<Seeded> {
  const created = await run(process.execPath, [
    tesseraBin,
    'environments',
    'create',
    ENVIRONMENT,
    '--json',
    '--database-url',
    bench.url,
  ]);
  if (created.code !== 0) throw new Error(`tessera environments create failed:\n${created.stderr}${created.stdout}`);
  const env = JSON.parse(created.stdout) as { id: string; keyPair: { publicKey: string; privateKey: string } };

  const db = await openDirect(bench.url);
  try {
    // The visitors of P1 and P3 exist beforehand, so that B3 can write rows for them.
    await db.query(
      `INSERT INTO accounts (environment_id, kind, anonymous_uid) SELECT $1, 'VISITOR', v FROM unnest($2::text[]) AS v`,
      [env.id, range(POOL_SIZE).map(visitorUid)],
    );
    await db.query(
      `INSERT INTO accounts (environment_id, kind, anonymous_uid)
       SELECT $1, 'VISITOR', 'seed-' || g FROM generate_series(0, $2 - 1) AS g`,
      [env.id, SEED_ACCOUNTS],
    );
    const [target] = await db.query<{ id: string }>(
      `INSERT INTO accounts (environment_id, kind, uid, email, name) VALUES ($1, 'USER', 'timeline-target',
       'target@example.com', 'Timeline Target') RETURNING id`,
      [env.id],
    );
    if (!target) throw new Error('no target account');

    const started = Date.now();
    for (let first = 1; first <= events; first += CHUNK) {
      const last = Math.min(first + CHUNK - 1, events);
      // One statement per chunk: the target's events are interleaved with the others' on disk,
      // as they would be in real traffic, so its newest 50 are not on a handful of pages.
      await db.query(
        `INSERT INTO events (environment_id, account_id, name, data, "timestamp", received_at, system_context,
                             verified, message_id)
         SELECT $1, CASE WHEN g % $5 = 0 THEN $2::uuid ELSE a.id END,
                (ARRAY['Page Viewed', 'Product Viewed', 'Added To Cart', 'Checked Out'])[1 + g % 4],
                jsonb_build_object('n', g, 'sku', 'sku-' || (g % 977), 'price', (g % 5000) / 100.0),
                now() - make_interval(secs => g), now() - make_interval(secs => g),
                '{"locale": "en-US", "library": {"name": "@dashx/browser"}}'::jsonb, true, 'seed-' || g
         FROM generate_series($3::int, $4::int) AS g
         JOIN accounts a ON a.environment_id = $1 AND a.anonymous_uid = 'seed-' || (g % $6)`,
        [env.id, target.id, first, last, TARGET_EVERY, SEED_ACCOUNTS],
      );
      log(`  seeded ${last.toLocaleString('en')} of ${events.toLocaleString('en')} events`);
    }
    // Autovacuum would start on the seeded million rows at a moment of its choosing, inside some
    // measurement; the bench vacuums between runs instead (see `vacuum`).
    await db.query('ALTER TABLE events SET (autovacuum_enabled = off)');
    await db.query('ALTER TABLE accounts SET (autovacuum_enabled = off)');
    await db.query('VACUUM (ANALYZE) events, accounts');
    if (db.kind === 'postgres') await db.query('CHECKPOINT'); // so no checkpoint of the seed lands in a measurement
    log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    return {
      environment: { id: env.id, name: ENVIRONMENT, ...env.keyPair },
      timelineAccountId: target.id,
      timelineEvents: Math.floor(events / TARGET_EVERY),
      seededEvents: events,
    };
  } finally {
    await db.close();
  }
}
