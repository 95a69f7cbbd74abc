/** What the `tessera migrate` command asks a server: its version and where the schema stands. */
import type { Database } from '../../storage/database.ts';
import { schemaStatus, type MigrationResult, type SchemaStatus } from '../../storage/migrate.ts';

export interface ServerStatus {
  /** The server package's version. */
  version: string;
  schema: SchemaStatus & {
    /** What this process migrated when it opened the database (from → to, files applied). */
    migratedAtStart: MigrationResult | null;
  };
}

export class StatusService {
  constructor(
    private readonly db: Database,
    private readonly version: string,
    private readonly migratedAtStart: MigrationResult | undefined,
  ) {}

  /** @example const { schema } = await status.get(); // { version: 4, latest: 4, pending: [] … } */
  async get(): Promise<ServerStatus> {
    return {
      version: this.version,
      schema: { ...(await schemaStatus(this.db)), migratedAtStart: this.migratedAtStart ?? null },
    };
  }
}
