/** Versioned schema migrations (Postgrator), applied under an advisory lock. */
import { basename } from 'node:path';
import Postgrator from 'postgrator';
import type { Database } from './database.ts';
import { serverPath } from '../paths.ts';

const migrationPattern = serverPath('src/storage/migrations/*.sql');
/** Arbitrary constant shared by every Tessera process: "tessera-migrate". */
const MIGRATION_LOCK = 0x7e55e7a1;

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** Applies every pending migration; a no-op when the schema is current. */
export async function migrate(db: Database): Promise<MigrationResult> {
  return db.withLock(MIGRATION_LOCK, async (conn) => {
    // Postgrator looks for its table in every schema unless told which one is ours.
    const [schema] = await conn.query<{ name: string }>('SELECT current_schema() AS name');
    const postgrator = new Postgrator({
      currentSchema: schema?.name ?? 'public',
      migrationPattern,
      driver: 'pg',
      schemaTable: 'tessera_schema_version',
      execQuery: async (query) => ({ rows: await conn.query(query) }),
      execSqlScript: (script) => conn.exec(script),
    });
    const from = await postgrator.getDatabaseVersion();
    const applied = await postgrator.migrate();
    const to = await postgrator.getDatabaseVersion();
    return { from, to, applied: applied.map((m) => basename(m.filename)) };
  });
}
