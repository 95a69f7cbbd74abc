/**
 * `tessera migrate`: apply pending migrations. A running server on the embedded database has
 * migrated at its start; then the command reports where the schema stands, and says what to do
 * when this `tessera` is newer than that server.
 */
import type { Command } from 'commander';
import { ErrorCode, TesseraError } from '../errors.ts';
import type { ServerStatus } from '../services/installation/status.ts';
import { latestMigration } from '../storage/migrate.ts';
import { print, withAdmin, type CommonOptions } from './context.ts';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withAdmin(opts, async (admin) => {
        const { version, schema } = await admin.call<ServerStatus>('GET', '/status');
        if (admin.remote) {
          const ours = latestMigration();
          if (ours > schema.version) {
            throw new TesseraError(
              ErrorCode.CONFLICT,
              `The running server (pid ${admin.remote.pid}, version ${version}) holds the embedded database at schema ` +
                `version ${schema.version}, and this tessera has migrations up to ${ours}: stop that server, then ` +
                'run `tessera migrate` again (or start the newer server, which migrates at start)',
            );
          }
          const result = { from: schema.version, to: schema.version, applied: [] };
          print(
            opts,
            result,
            () =>
              `Schema is current (version ${schema.version}): the running server (pid ${admin.remote?.pid}) migrates at start.`,
          );
          return;
        }
        const result = schema.migratedAtStart ?? { from: schema.version, to: schema.version, applied: [] };
        print(opts, result, () =>
          result.applied.length === 0
            ? `Schema is current (version ${result.to}).`
            : `Migrated ${result.from} → ${result.to}: ${result.applied.join(', ')}`,
        );
      }),
    );
}
