/** Backups of the whole installation, taken while the server runs (`tessera backup`). */
import type { Writable } from 'node:stream';
import type { Database } from '../storage/database.ts';
import { writeBackup, type BackupSummary } from '../storage/backup/write.ts';

export class BackupService {
  constructor(
    private readonly db: Database,
    private readonly version: string,
  ) {}

  /**
   * Streams a `tessera.backup.v1` file of one consistent snapshot into `out`, and ends it.
   * @example await backups.write(createWriteStream('tessera.backup'));
   */
  write(out: Writable): Promise<BackupSummary> {
    return writeBackup(this.db, out, { tesseraVersion: this.version });
  }
}
