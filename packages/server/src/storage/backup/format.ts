/**
 * The backup file, `tessera.backup.v1`: gzip'd UTF-8 text, one record per line, each line a
 * one-letter tag followed by JSON:
 *
 * ```
 * H{"format":"tessera.backup.v1","tesseraVersion":"0.2.0","schemaVersion":4,"createdAt":"…","database":"pglite","tables":[{"name":"projects","columns":[…]},…]}
 * T{"name":"projects"}           a table starts (tables come parents first: foreign keys point backwards)
 * R{"id":"…","name":"…"}         one row of it, as PostgreSQL's row_to_json (its columns by name)
 * E{"tables":{"projects":{"rows":1,"sha256":"…"},…},"sha256":"…"}
 * ```
 *
 * The trailer `E` closes the file: per table its row count and the sha256 of its `R` lines (each
 * with its newline), and the sha256 of every line before the trailer. A file without a trailer
 * was cut short; a restore refuses it, and a file whose sums do not match.
 */
export const BACKUP_FORMAT = 'tessera.backup.v1';

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  tesseraVersion: string;
  /** The schema (migration) version of the database the rows come from. */
  schemaVersion: number;
  createdAt: string;
  database: 'pglite' | 'postgres';
  tables: Array<{ name: string; columns: string[] }>;
}

export interface TableSum {
  rows: number;
  sha256: string;
}

export interface BackupTrailer {
  tables: Record<string, TableSum>;
  sha256: string;
}
