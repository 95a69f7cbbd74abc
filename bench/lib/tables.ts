/**
 * The Tessera tables as the database describes them, for the COPY baselines of P6 and P7: every
 * base table but the migrations' bookkeeping (which a backup leaves out too), its stored columns,
 * parents before children. Read from the catalog, so that it follows the schema without the bench
 * depending on the server's own backup code (which others are changing).
 */

/** Anything that runs a query and gives its rows (a DirectDb, a pg client, a PGlite). */
export type Query = <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;

export interface CopyTable {
  name: string;
  /** Stored columns in table order (generated columns excluded), quoted, for `COPY t (…)`. */
  columns: string[];
  /** The primary key's columns, quoted (empty: none). */
  primaryKey: string[];
}

/** The migration bookkeeping table, which `tessera backup` does not copy. */
const SCHEMA_TABLE = 'tessera_schema_version';

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * @example const tables = await copyTables((sql, p) => db.query(sql, p)); // environments … events
 */
export async function copyTables(query: Query): Promise<CopyTable[]> {
  const columns = await query<{ table: string; column: string }>(
    `SELECT c.table_name AS table, c.column_name AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> $1
        AND c.is_generated = 'NEVER'
      ORDER BY c.table_name, c.ordinal_position`,
    [SCHEMA_TABLE],
  );
  const references = await query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint co
       JOIN pg_class ch ON ch.oid = co.conrelid
       JOIN pg_class pa ON pa.oid = co.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace AND n.nspname = current_schema()
      WHERE co.contype = 'f' AND ch.relname <> pa.relname`,
  );
  const keys = await query<{ table: string; column: string }>(
    `SELECT cl.relname AS table, a.attname AS column
       FROM pg_index i
       JOIN pg_class cl ON cl.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos) ON true
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
      WHERE i.indisprimary
      ORDER BY cl.relname, k.pos`,
  );
  const primaryKeys = new Map<string, string[]>();
  for (const k of keys) primaryKeys.set(k.table, [...(primaryKeys.get(k.table) ?? []), quote(k.column)]);
  const byTable = new Map<string, string[]>();
  for (const c of columns) byTable.set(c.table, [...(byTable.get(c.table) ?? []), quote(c.column)]);
  const parents = new Map<string, string[]>();
  for (const r of references) parents.set(r.child, [...(parents.get(r.child) ?? []), r.parent]);
  // Depth-first: every table after the tables it references.
  const ordered: CopyTable[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !byTable.has(name)) return;
    seen.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
    ordered.push({ name, columns: byTable.get(name)!, primaryKey: primaryKeys.get(name) ?? [] });
  };
  for (const name of [...byTable.keys()].sort()) visit(name);
  return ordered;
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
