/**
 * The Tessera tables, for the COPY baselines of P6 and P7: the same tables, columns and order as
 * `tessera backup` reads (the server's own catalog reader), with names quoted for `COPY t (…)`.
 */
import { ident, listTables } from '../../packages/server/src/storage/backup/tables.ts';

/** Anything that runs a query and gives its rows (a DirectDb, a pg client, a PGlite). */
export type Query = <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;

export interface CopyTable {
  name: string;
  /** Stored columns in table order (generated columns excluded), quoted, for `COPY t (…)`. */
  columns: string[];
  /** The primary key's columns, quoted (empty: none). */
  primaryKey: string[];
}

export const quote = ident;

/**
 * @example const tables = await copyTables((sql, p) => db.query(sql, p)); // environments … events
 */
export async function copyTables(query: Query): Promise<CopyTable[]> {
  const tables = await listTables({ query: (sql, params) => query(sql, params ? [...params] : undefined) });
  return tables.map((t) => ({ name: t.name, columns: t.columns.map(ident), primaryKey: t.primaryKey.map(ident) }));
}

/** `COPY "t" ("a", "b") TO|FROM <where>`. */
export const copySql = (table: CopyTable, direction: 'TO' | 'FROM', where: string): string =>
  `COPY ${quote(table.name)} (${table.columns.join(', ')}) ${direction} ${where}`;

/** Rows of every table, and their sum. */
export async function countRows(query: Query, tables: readonly CopyTable[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quote(t.name)}`);
    counts[t.name] = row?.n ?? 0;
  }
  return counts;
}
