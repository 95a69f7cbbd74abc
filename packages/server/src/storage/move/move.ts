/**
 * Moves an embedded database, opened by this process (so nothing writes it meanwhile), into a
 * PostgreSQL target: table by table, parents first, in checkpointed chunks (copy.ts), then
 * verified (verify.ts). A run that finds checkpoints of an interrupted move resumes it, once it
 * has checked that they are this source's and still describe it:
 *
 * - the source's fingerprint (its projects' ids, schema version and tables) is the one recorded;
 * - every target table holds exactly the rows its checkpoint counts (nothing else wrote there);
 * - the source rows up to each checkpoint's key still have the count and checksum copied. A server
 *   may have run on the embedded database between the two runs: new events (keys after the
 *   checkpoint) are simply copied, but a changed or new row among those already copied refuses
 *   the resume, since the copy would silently miss it.
 *
 * The final verification compares every table's count and checksum in the target with those of
 * the rows read from the source (verify.ts).
 */
import { createHash } from 'node:crypto';
import { ErrorCode, TesseraError, invalidInput } from '../../errors.ts';
import type { Database, Queryable } from '../database.ts';
import { latestMigration, migrate } from '../migrate.ts';
import { refuseNonEmpty, resetSequences } from '../backup/restore.ts';
import { ident, listTables, type TableInfo } from '../backup/tables.ts';
import { versionOf } from '../backup/write.ts';
import { createCheckpoints, dropCheckpoints, readCheckpoints, type Checkpoint } from './checkpoint.ts';
import { EMPTY_CHECKSUM, rangeChecksum, useCanonicalText, type Checksum } from './checksum.ts';
import { copyTable, type CopyOptions } from './copy.ts';
import { verifyTarget } from './verify.ts';

export interface MoveRowsOptions {
  /** Discard an interrupted move's checkpoints and rows, and start over. */
  restart?: boolean;
  /** Rows per chunk. Default 10000. */
  chunkRows?: number;
  /** Told after each committed chunk; may throw to stop the move (tests). */
  onChunk?: (progress: MoveProgress) => void | Promise<void>;
  /** Runs between copying and verifying (tests alter the target here). */
  beforeVerify?: (target: Database) => Promise<void>;
}

export interface MoveProgress {
  table: string;
  /** The table's rows in the target now, and in the source. */
  tableRows: number;
  tableTotal: number;
  /** All tables' rows in the target now, and in the source. */
  rows: number;
  total: number;
  /** Rows written by this run (rate, time left). */
  written: number;
}

export interface MoveSummary {
  schemaVersion: number;
  /** Per table: rows and checksum, verified equal on both sides. */
  tables: Record<string, Checksum>;
  /** Whether this run continued an interrupted move. */
  resumed: boolean;
  /** Rows this run wrote (fewer than the total when it resumed). */
  written: number;
}

const CHUNK_ROWS = 10_000;

/**
 * @throws TesseraError CONFLICT when the target holds Tessera data (and no checkpoints of a move
 *   from this source), or checkpoints that cannot be resumed; INTERNAL when verification fails.
 */
export async function moveRows(
  source: Database,
  target: Database,
  options: MoveRowsOptions = {},
): Promise<MoveSummary> {
  await useCanonicalText(source, false);
  const schemaVersion = await versionOf(source);
  if (schemaVersion > latestMigration()) {
    throw invalidInput(`The embedded database is at schema version ${schemaVersion}, newer than this Tessera knows`);
  }
  const tables = await listTables(source);
  const fingerprint = await fingerprintOf(source, schemaVersion, tables);
  const totals = await rowCounts(source, tables);

  let checkpoints = await readCheckpoints(target);
  if (checkpoints && options.restart) {
    await discard(target, checkpoints);
    checkpoints = undefined;
  }
  const resumed = checkpoints !== undefined;
  if (checkpoints) {
    await checkResumable(source, target, tables, checkpoints, fingerprint);
  } else {
    await refuseNonEmpty(target);
    if ((await versionOf(target).catch(() => 0)) < schemaVersion) await migrate(target, schemaVersion);
    await refuseNonEmpty(target); // a migration that seeds rows would make the target unverifiable
    await target.transaction((tx) =>
      createCheckpoints(
        tx,
        tables.map((t) => t.name),
        fingerprint,
        EMPTY_CHECKSUM,
      ),
    );
    checkpoints = await readCheckpoints(target);
  }

  await checkSameColumns(tables, await listTables(target));

  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  const done = new Map(tables.map((t) => [t.name, checkpoints?.get(t.name)?.copied.rows ?? 0]));
  const sum = () => [...done.values()].reduce((a, b) => a + b, 0);
  const before = sum();
  const copyOptions: CopyOptions = {
    chunkRows: options.chunkRows ?? CHUNK_ROWS,
    onChunk: (table, tableRows) => {
      done.set(table, tableRows);
      const rows = sum();
      return options.onChunk?.({
        table,
        tableRows,
        tableTotal: totals.get(table) ?? 0,
        rows,
        total,
        written: rows - before,
      });
    },
  };
  let written = 0;
  const sums: Record<string, Checksum> = {};
  for (const table of tables) {
    const start = checkpoints?.get(table.name);
    if (!start) throw new TesseraError(ErrorCode.INTERNAL, `The move's checkpoint of table ${table.name} is missing`);
    const copied = await copyTable(source, target, table, start, copyOptions);
    written += copied.written;
    sums[table.name] = copied.checkpoint.copied;
    if (copied.checkpoint.copied.rows !== totals.get(table.name)) {
      throw new TesseraError(
        ErrorCode.INTERNAL,
        `Table ${table.name}: ${copied.checkpoint.copied.rows} rows copied, the embedded database has ${totals.get(table.name)}`,
      );
    }
  }

  await options.beforeVerify?.(target);
  await verifyTarget(target, tables, sums);
  await target.transaction(async (tx) => {
    await resetSequences(tx, await listTables(tx));
    await dropCheckpoints(tx);
  });
  await migrate(target);
  return { schemaVersion, tables: sums, resumed, written };
}

/** Identifies the source installation: what must not differ between a move and its resumption. */
async function fingerprintOf(source: Queryable, schemaVersion: number, tables: TableInfo[]): Promise<string> {
  const projects = tables.some((t) => t.name === 'projects')
    ? (await source.query<{ id: string }>('SELECT id::text AS id FROM projects ORDER BY id')).map((p) => p.id)
    : [];
  const what = { schemaVersion, projects, tables: tables.map((t) => [t.name, t.columns]) };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32);
}

async function rowCounts(db: Queryable, tables: TableInfo[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${ident(t.name)}`);
    counts.set(t.name, Number(row?.n ?? 0));
  }
  return counts;
}

/** Rows are compared as `row_to_json` text: the target's tables must have the source's columns, in order. */
async function checkSameColumns(source: TableInfo[], target: TableInfo[]): Promise<void> {
  const columns = new Map(target.map((t) => [t.name, t.columns.join(', ')]));
  for (const table of source) {
    const theirs = columns.get(table.name);
    if (theirs !== table.columns.join(', ')) {
      throw conflict(
        `Table ${table.name} in the target has other columns (${theirs ?? 'none'}) than in the embedded database ` +
          `(${table.columns.join(', ')}): move into an empty database`,
      );
    }
  }
}

const conflict = (message: string) => new TesseraError(ErrorCode.CONFLICT, message);

/** The target holds only what the interrupted move wrote: every table exactly its checkpoint's rows. */
async function checkOnlyMoved(target: Queryable, checkpoints: Map<string, Checkpoint>, then: string) {
  const counts = await rowCounts(target, await listTables(target));
  for (const [name, rows] of counts) {
    const expected = checkpoints.get(name)?.copied.rows ?? 0;
    if (rows !== expected) {
      throw conflict(
        `The target database holds rows an interrupted move did not write (table ${name} has ${rows}, the move ` +
          `copied ${expected}): ${then}`,
      );
    }
  }
}

async function checkResumable(
  source: Queryable,
  target: Database,
  tables: TableInfo[],
  checkpoints: Map<string, Checkpoint>,
  fingerprint: string,
): Promise<void> {
  const restart = 'run `tessera move --restart` to discard it and start over';
  for (const table of tables) {
    const checkpoint = checkpoints.get(table.name);
    if (!checkpoint || checkpoint.sourceFingerprint !== fingerprint) {
      throw conflict(
        'The target database holds an interrupted move of another installation (or of this one before an ' +
          `upgrade): ${restart}`,
      );
    }
  }
  await checkOnlyMoved(target, checkpoints, 'move only into an empty database');
  for (const table of tables) {
    const checkpoint = checkpoints.get(table.name) as Checkpoint;
    if (checkpoint.lastKey === null) continue;
    const range = table.primaryKey.length > 0 ? { upTo: checkpoint.lastKey } : {};
    const now = await rangeChecksum(source, table, range);
    if (now.rows !== checkpoint.copied.rows || now.sum !== checkpoint.copied.sum) {
      throw conflict(
        `The embedded database changed since the move was interrupted (table ${table.name}), so it cannot be ` +
          `resumed: ${restart}`,
      );
    }
  }
}

/**
 * Discards an interrupted move's rows and checkpoints, if the target has any (`--restart`).
 * @throws TesseraError CONFLICT when the target holds rows the move did not write.
 */
export async function discardInterruptedMove(target: Database): Promise<boolean> {
  const checkpoints = await readCheckpoints(target);
  if (checkpoints) await discard(target, checkpoints);
  return checkpoints !== undefined;
}

/** Whether the target holds checkpoints of an interrupted move. */
export async function hasInterruptedMove(target: Queryable): Promise<boolean> {
  return (await readCheckpoints(target)) !== undefined;
}

/** `--restart`: empties what an interrupted move wrote, and only that, and drops its checkpoints. */
async function discard(target: Database, checkpoints: Map<string, Checkpoint>) {
  const names = (await listTables(target)).map((t) => ident(t.name));
  await target.transaction(async (tx) => {
    await checkOnlyMoved(tx, checkpoints, 'move only into an empty database; nothing was discarded');
    if (names.length > 0) await tx.query(`TRUNCATE ${names.join(', ')}`);
    await dropCheckpoints(tx);
  });
}
