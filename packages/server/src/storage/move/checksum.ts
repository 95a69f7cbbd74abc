/**
 * Checksums of table rows that PGlite and PostgreSQL compute alike, so a moved table can be
 * compared with its source without shipping the rows back. A row's checksum is the md5 of its
 * `row_to_json` text, the very text a move sends (so the move sums it here, without asking the
 * embedded database for more work); a range's checksum is the row count and the sums, modulo
 * 2^64, of the two halves of those md5s. Sums do not depend on row order or chunk boundaries, so
 * the checksums of consecutive chunks add up to the table's. Both sides must have the same columns
 * in the same order (the move checks it): they are migrated alike.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../database.ts';
import { ident, type TableInfo } from '../backup/tables.ts';

/**
 * Settings that fix how values are written as text (timestamps, dates, intervals, floats, bytea),
 * the same on both sides whatever the servers' defaults (verified for every column type of the
 * schema in test/backup/move.test.ts).
 */
const CANONICAL_SETTINGS: ReadonlyArray<[string, string]> = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
];

/** Applies the canonical settings, to the session or (`local`) to the open transaction only. */
export async function useCanonicalText(db: Queryable, local: boolean): Promise<void> {
  for (const [name, value] of CANONICAL_SETTINGS) await db.query('SELECT set_config($1, $2, $3)', [name, value, local]);
}

export interface Checksum {
  rows: number;
  /** 32 hex digits: the two 64-bit sums. */
  sum: string;
}

export const EMPTY_CHECKSUM: Checksum = { rows: 0, sum: '0'.repeat(32) };

const MOD = 1n << 64n;
const hex64 = (n: bigint): string => (((n % MOD) + MOD) % MOD).toString(16).padStart(16, '0');

/** The checksum of two disjoint sets of rows together. */
export function addChecksums(a: Checksum, b: Checksum): Checksum {
  const half = (s: string, i: number) => BigInt(`0x${s.slice(i, i + 16)}`);
  return {
    rows: a.rows + b.rows,
    sum: hex64(half(a.sum, 0) + half(b.sum, 0)) + hex64(half(a.sum, 16) + half(b.sum, 16)),
  };
}

/** The SQL of one row's md5 (`t` is the table's alias). */
const ROW_HASH = 'md5(row_to_json(t)::text)';

/** The checksum of some rows given as their `row_to_json` text, summed here. */
export function checksumOf(rows: Iterable<string>): Checksum {
  let a = 0n;
  let b = 0n;
  let n = 0;
  for (const row of rows) {
    const md5 = createHash('md5').update(row, 'utf8').digest();
    a += md5.readBigUInt64BE(0);
    b += md5.readBigUInt64BE(8);
    n += 1;
  }
  return { rows: n, sum: hex64(a) + hex64(b) };
}

/** A range of a table by primary key: after `after` (exclusive), up to `upTo` (inclusive). */
export interface KeyRange {
  after?: readonly string[] | null | undefined;
  upTo?: readonly string[] | null | undefined;
}

/** The primary key's columns as text (`k0, k1…`), for `keyOf`, and the key's `ORDER BY` list. */
export function keySql(table: TableInfo): { select: string; order: string } {
  const keys = table.primaryKey.map((c) => `t.${ident(c)}`);
  return { select: keys.map((k, i) => `${k}::text AS k${i}`).join(', '), order: keys.join(', ') };
}

/** The primary key of a row selected with `keySql(table).select`. */
export function keyOf(table: TableInfo, row: Record<string, unknown>): string[] {
  return table.primaryKey.map((_, i) => row[`k${i}`] as string);
}

/** `WHERE` conditions (or '') and their parameters for a key range, parameters from `$first`. */
export function keyRangeSql(table: TableInfo, range: KeyRange, first = 1): { where: string; params: string[] } {
  const key = `(${table.primaryKey.map((c) => `t.${ident(c)}`).join(', ')})`;
  const conditions: string[] = [];
  const params: string[] = [];
  const bound = (values: readonly string[], op: string) => {
    const placeholders = values.map((v) => {
      params.push(v);
      return `$${first + params.length - 1}`;
    });
    conditions.push(`${key} ${op} (${placeholders.join(', ')})`);
  };
  if (table.primaryKey.length > 0) {
    if (range.after) bound(range.after, '>');
    if (range.upTo) bound(range.upTo, '<=');
  }
  return { where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * The checksum of a table's rows in a key range, computed in the database.
 * @example const sum = await rangeChecksum(db, table, { upTo: ['42'] });
 */
export async function rangeChecksum(db: Queryable, table: TableInfo, range: KeyRange = {}): Promise<Checksum> {
  const { where, params } = keyRangeSql(table, range);
  const half = (from: number) => `COALESCE(sum(('x' || substr(h, ${from}, 16))::bit(64)::int8), 0)::text`;
  const [row] = await db.query<{ rows: number; a: string; b: string }>(
    `SELECT count(*)::int8 AS rows, ${half(1)} AS a, ${half(17)} AS b
       FROM (SELECT ${ROW_HASH} AS h FROM ${ident(table.name)} t${where}) s`,
    params,
  );
  return { rows: Number(row?.rows ?? 0), sum: hex64(BigInt(row?.a ?? '0')) + hex64(BigInt(row?.b ?? '0')) };
}
