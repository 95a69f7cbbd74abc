/**
 * Copies one table from the embedded database into the target in chunks ordered by primary key
 * (keyset: `WHERE key > last ORDER BY key LIMIT n`). Each chunk is inserted and its checkpoint
 * saved in one target statement, so an interruption loses at most the chunk under way and the
 * next run continues after the last committed one. The next chunk is read while the current one
 * is written: the embedded database runs in this process, the target in another.
 */
import type { Database, Queryable } from '../database.ts';
import { ErrorCode, TesseraError } from '../../errors.ts';
import { MOVE_PROGRESS_TABLE, ident, jsonInsert, selfReferenceUpdate, type TableInfo } from '../backup/tables.ts';
import type { Checkpoint } from './checkpoint.ts';
import { addChecksums, checksumOf, keyOf, keyRangeSql, keySql } from './checksum.ts';

export interface CopyOptions {
  /** Rows per chunk (one target statement each). */
  chunkRows: number;
  /** Told after each committed chunk: the table's rows now in the target. May throw to stop the move. */
  onChunk?: (table: string, rowsSoFar: number) => void | Promise<void>;
}

interface Chunk {
  /** The rows as `row_to_json` text. */
  json: string[];
  /** The primary key of the last row, as text. */
  lastKey: string[] | null;
}

/**
 * Copies the rows of `table` after the checkpoint's last key; returns the checkpoint reached and
 * the rows written by this call.
 */
export async function copyTable(
  source: Queryable,
  target: Database,
  table: TableInfo,
  start: Checkpoint,
  options: CopyOptions,
): Promise<{ checkpoint: Checkpoint; written: number }> {
  const keyed = table.primaryKey.length > 0;
  // A table without a primary key cannot be read in chunks: it is copied whole, once.
  if (!keyed && start.lastKey !== null) return { checkpoint: start, written: 0 };
  const write = chunkWrite(table);
  const read = (after: string[] | null) => readChunk(source, table, after, keyed ? options.chunkRows : undefined);
  let checkpoint = start;
  let written = 0;
  let chunk = await read(start.lastKey);
  while (chunk.json.length > 0) {
    const next: Checkpoint = {
      ...checkpoint,
      lastKey: chunk.lastKey ?? [],
      copied: addChecksums(checkpoint.copied, checksumOf(chunk.json)),
    };
    const writing = write(target, chunk, next);
    writing.catch(() => {}); // awaited below
    // The embedded database computes in this thread: let the driver put the write on the wire
    // first, so the target inserts this chunk while the next one is read.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const more = keyed && chunk.json.length === options.chunkRows;
    const reading = more ? read(chunk.lastKey) : Promise.resolve(EMPTY_CHUNK);
    reading.catch(() => {}); // awaited below, once the write is done
    try {
      await writing;
      checkpoint = next;
      written += chunk.json.length;
      await options.onChunk?.(table.name, checkpoint.copied.rows);
    } catch (err) {
      await reading.catch(() => {}); // let the read end before the source closes
      throw err;
    }
    chunk = await reading;
  }
  if (table.selfReferences.length > 0) await copySelfReferences(source, target, table, options.chunkRows);
  return { checkpoint, written };
}

const EMPTY_CHUNK: Chunk = { json: [], lastKey: null };

/**
 * Inserts a chunk and saves its checkpoint in one statement (one round trip, atomic without
 * BEGIN/COMMIT): the rows are in the target if and only if their checkpoint is.
 */
function chunkWrite(table: TableInfo) {
  const sql =
    `WITH inserted AS (${jsonInsert(table)} RETURNING 1) ` +
    `UPDATE ${ident(MOVE_PROGRESS_TABLE)} SET last_key = $2::jsonb, rows = $3, checksum = $4, updated_at = now() ` +
    'WHERE table_name = $5 RETURNING (SELECT count(*) FROM inserted)::int8 AS n';
  return async (target: Queryable, chunk: Chunk, next: Checkpoint): Promise<void> => {
    const [row] = await target.query<{ n: number }>(sql, [
      `[${chunk.json.join(',')}]`,
      JSON.stringify(next.lastKey),
      next.copied.rows,
      next.copied.sum,
      table.name,
    ]);
    if (Number(row?.n) !== chunk.json.length) {
      throw new TesseraError(
        ErrorCode.INTERNAL,
        `The move's checkpoint of table ${table.name} is missing in the target`,
      );
    }
  };
}

async function readChunk(source: Queryable, table: TableInfo, after: string[] | null, limit?: number): Promise<Chunk> {
  const key = keySql(table);
  const { where, params } = keyRangeSql(table, { after });
  const rows = await source.query<Record<string, string>>(
    `SELECT row_to_json(t)::text AS r${key.select ? `, ${key.select}` : ''} FROM ${ident(table.name)} t${where}` +
      (key.order ? ` ORDER BY ${key.order}` : '') +
      (limit ? ` LIMIT ${limit}` : ''),
    params,
  );
  const last = rows[rows.length - 1];
  return { json: rows.map((r) => r.r as string), lastKey: last ? keyOf(table, last) : null };
}

/**
 * Columns that reference the same table (a visitor merged into a user) are inserted empty, since
 * the row they name may come in a later chunk, and set here once the whole table is in. Setting
 * them is idempotent: every run does it again for the whole table.
 */
async function copySelfReferences(source: Queryable, target: Database, table: TableInfo, chunkRows: number) {
  const update = selfReferenceUpdate(table);
  const key = keySql(table);
  const anySet = table.selfReferences.map((c) => `t.${ident(c)} IS NOT NULL`).join(' OR ');
  let after: string[] | null = null;
  for (;;) {
    const { where, params } = keyRangeSql(table, { after });
    const rows = await source.query<Record<string, string>>(
      `SELECT row_to_json(t)::text AS r, ${key.select} FROM ${ident(table.name)} t` +
        `${where === '' ? ' WHERE' : `${where} AND`} (${anySet}) ORDER BY ${key.order} LIMIT ${chunkRows}`,
      params,
    );
    const last = rows[rows.length - 1];
    if (!last) return;
    await target.query(update, [`[${rows.map((r) => r.r).join(',')}]`]);
    if (rows.length < chunkRows) return;
    after = keyOf(table, last);
  }
}
