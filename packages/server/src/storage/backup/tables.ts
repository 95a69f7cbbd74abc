/**
 * The Tessera tables as the database describes them (never a hard-coded list): their columns,
 * primary key, identity/serial columns, and an order in which every foreign key points backwards.
 */
import type { Queryable } from '../database.ts';

/** The migration bookkeeping table: never backed up; a restore recreates it by migrating. */
export const SCHEMA_TABLE = 'tessera_schema_version';
/** An interrupted `tessera move`'s checkpoints in its target: bookkeeping, never Tessera data. */
export const MOVE_PROGRESS_TABLE = 'tessera_move_progress';

export interface TableInfo {
  name: string;
  /** Stored columns in table order (generated columns excluded). */
  columns: string[];
  primaryKey: string[];
  /** Columns that reference this same table (e.g. `accounts.merged_into_id`): restored in a second step. */
  selfReferences: string[];
  /** Columns backed by a sequence (identity or serial), reset after a restore. */
  sequenced: string[];
}

/** Quotes an identifier for SQL. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The base tables of the current schema, parents before children.
 * @example const tables = await listTables(db); // [{ name: 'projects', … }, …, { name: 'events', … }]
 */
export async function listTables(db: Queryable): Promise<TableInfo[]> {
  const columns = await db.query<{ table: string; column: string; sequenced: boolean }>(
    `SELECT c.table_name AS table, c.column_name AS column,
            (c.is_identity = 'YES' OR pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL) AS sequenced
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.table_name NOT IN ($1, $2) AND c.is_generated = 'NEVER'
      ORDER BY c.table_name, c.ordinal_position`,
    [SCHEMA_TABLE, MOVE_PROGRESS_TABLE],
  );
  const keys = await db.query<{ table: string; column: string }>(
    `SELECT cl.relname AS table, a.attname AS column
       FROM pg_index i
       JOIN pg_class cl ON cl.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos) ON true
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
      WHERE i.indisprimary
      ORDER BY cl.relname, k.pos`,
  );
  const references = await db.query<{ child: string; parent: string; column: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent, a.attname AS column
       FROM pg_constraint co
       JOIN pg_class ch ON ch.oid = co.conrelid
       JOIN pg_class pa ON pa.oid = co.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace AND n.nspname = current_schema()
       JOIN LATERAL unnest(co.conkey) AS k(attnum) ON true
       JOIN pg_attribute a ON a.attrelid = ch.oid AND a.attnum = k.attnum
      WHERE co.contype = 'f'`,
  );
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    let table = tables.get(c.table);
    if (!table) {
      table = { name: c.table, columns: [], primaryKey: [], selfReferences: [], sequenced: [] };
      tables.set(c.table, table);
    }
    table.columns.push(c.column);
    if (c.sequenced) table.sequenced.push(c.column);
  }
  for (const k of keys) tables.get(k.table)?.primaryKey.push(k.column);
  const parents = new Map<string, Set<string>>();
  for (const r of references) {
    if (r.child === r.parent) {
      const table = tables.get(r.child);
      if (table && !table.selfReferences.includes(r.column)) table.selfReferences.push(r.column);
      continue;
    }
    if (!parents.has(r.child)) parents.set(r.child, new Set());
    parents.get(r.child)?.add(r.parent);
  }
  // Depth-first topological order; names sorted so the order is stable.
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const parent of [...(parents.get(name) ?? [])].sort()) visit(parent);
    const table = tables.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/**
 * Inserts rows given as one JSON array (`$1`, objects as `row_to_json` writes them) into `table`,
 * keeping identity values. Columns referencing the same table are left NULL: they may name a row
 * not written yet, and are filled in afterwards by `selfReferenceUpdate`.
 */
export function jsonInsert(table: TableInfo, columns: string[] = table.columns): string {
  const select = columns.map((c) => (table.selfReferences.includes(c) ? `NULL AS ${ident(c)}` : `j.${ident(c)}`));
  return (
    `INSERT INTO ${ident(table.name)} (${columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE ` +
    `SELECT ${select.join(', ')} FROM json_populate_recordset(NULL::${ident(table.name)}, $1::json) j`
  );
}

/** Sets the self-referencing columns of the rows given as one JSON array (`$1`), found by primary key. */
export function selfReferenceUpdate(table: TableInfo): string {
  const { name, primaryKey, selfReferences } = table;
  return (
    `UPDATE ${ident(name)} t SET ${selfReferences.map((c) => `${ident(c)} = j.${ident(c)}`).join(', ')} ` +
    `FROM json_populate_recordset(NULL::${ident(name)}, $1::json) j ` +
    `WHERE ${primaryKey.map((c) => `t.${ident(c)} = j.${ident(c)}`).join(' AND ')}`
  );
}
