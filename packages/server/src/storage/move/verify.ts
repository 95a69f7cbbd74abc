/**
 * Verifies a moved installation: every table's row count and checksum (checksum.ts) in the
 * target against those of the rows the move read from the embedded database (which nothing could
 * write meanwhile). Tables are summed range by range, so that no statement runs long.
 */
import { ErrorCode, TesseraError } from '../../errors.ts';
import type { Database, Queryable } from '../database.ts';
import { ident, type TableInfo } from '../backup/tables.ts';
import {
  EMPTY_CHECKSUM,
  addChecksums,
  keyOf,
  keyRangeSql,
  keySql,
  rangeChecksum,
  useCanonicalText,
  type Checksum,
} from './checksum.ts';

/** Rows per summed range. */
const RANGE_ROWS = 100_000;

/**
 * @throws TesseraError INTERNAL naming the first table whose rows in the target differ.
 * @example await verifyTarget(target, tables, { events: { rows: 100000, sum: '…' }, … });
 */
export async function verifyTarget(
  target: Database,
  tables: TableInfo[],
  expected: Record<string, Checksum>,
): Promise<void> {
  for (const table of tables) {
    const want = expected[table.name] ?? EMPTY_CHECKSUM;
    const got = await target.transaction(async (tx) => {
      await useCanonicalText(tx, true);
      return tableChecksum(tx, table);
    });
    if (want.rows !== got.rows || want.sum !== got.sum) {
      const what =
        want.rows !== got.rows
          ? `${got.rows} rows where the embedded database has ${want.rows}`
          : 'rows whose checksum differs from the embedded database';
      throw new TesseraError(
        ErrorCode.INTERNAL,
        `Verification failed: table ${table.name} in the target has ${what}; ` +
          'run `tessera move --restart` to copy everything again',
      );
    }
  }
}

/** A table's checksum, as the sum of its ranges of `RANGE_ROWS` rows. */
async function tableChecksum(db: Queryable, table: TableInfo): Promise<Checksum> {
  let total = EMPTY_CHECKSUM;
  let after: string[] | null = null;
  for (;;) {
    const upTo: string[] | null = table.primaryKey.length > 0 ? await rangeEnd(db, table, after) : null;
    total = addChecksums(total, await rangeChecksum(db, table, { after, upTo }));
    if (!upTo) return total;
    after = upTo;
  }
}

/** The key of the `RANGE_ROWS`th row after `after`, which ends a range; null when fewer remain. */
async function rangeEnd(db: Queryable, table: TableInfo, after: string[] | null): Promise<string[] | null> {
  const key = keySql(table);
  const { where, params } = keyRangeSql(table, { after });
  const [end] = await db.query<Record<string, string>>(
    `SELECT ${key.select} FROM ${ident(table.name)} t${where} ORDER BY ${key.order} OFFSET ${RANGE_ROWS - 1} LIMIT 1`,
    params,
  );
  return end ? keyOf(table, end) : null;
}
