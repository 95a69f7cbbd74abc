/**
 * The checkpoints of a move, kept in the target itself (`tessera_move_progress`): per table, the
 * primary key of the last row copied, the rows copied so far and their checksum, and which source
 * they came from. Each chunk of rows is committed together with its checkpoint, so after an
 * interruption the target holds exactly the rows its checkpoints describe. The table is dropped
 * once the move is complete and verified; `listTables` never lists it.
 */
import type { Queryable } from '../database.ts';
import { MOVE_PROGRESS_TABLE, ident } from '../backup/tables.ts';
import type { Checksum } from './checksum.ts';

export interface Checkpoint {
  table: string;
  /** The primary key (as text) of the last row copied; null before the first chunk. */
  lastKey: string[] | null;
  copied: Checksum;
  sourceFingerprint: string;
}

const TABLE = ident(MOVE_PROGRESS_TABLE);

/** The checkpoints in the target, or undefined when no move is under way there. */
export async function readCheckpoints(db: Queryable): Promise<Map<string, Checkpoint> | undefined> {
  const [exists] = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [TABLE]);
  if (!exists?.found) return undefined;
  const rows = await db.query<{
    table_name: string;
    last_key: string[] | null;
    rows: number;
    checksum: string;
    source_fingerprint: string;
  }>(`SELECT table_name, last_key, rows, checksum, source_fingerprint FROM ${TABLE}`);
  return new Map(
    rows.map((r) => [
      r.table_name,
      {
        table: r.table_name,
        lastKey: r.last_key,
        copied: { rows: Number(r.rows), sum: r.checksum },
        sourceFingerprint: r.source_fingerprint,
      },
    ]),
  );
}

/** Starts the bookkeeping of a move: one checkpoint per table, nothing copied yet. */
export async function createCheckpoints(db: Queryable, tables: string[], fingerprint: string, empty: Checksum) {
  await db.query(
    `CREATE TABLE ${TABLE} (
       table_name          text PRIMARY KEY,
       last_key            jsonb,
       rows                bigint NOT NULL,
       checksum            text NOT NULL,
       source_fingerprint  text NOT NULL,
       updated_at          timestamptz NOT NULL DEFAULT now()
     )`,
  );
  await db.query(
    `INSERT INTO ${TABLE} (table_name, last_key, rows, checksum, source_fingerprint)
       SELECT name, NULL, 0, $2, $3 FROM unnest($1::text[]) AS name`,
    [tables, empty.sum, fingerprint],
  );
}

/** Ends the bookkeeping: the move is complete and verified, or is being discarded. */
export async function dropCheckpoints(db: Queryable): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
}
