/** The `tessera` command line: serve, migrate, environments, keys, token. */
import { Command, Option } from 'commander';
import { isTesseraError } from '../errors.ts';
import { serve } from './serve.ts';
import { withServices, print } from './context.ts';
import { keyCommands } from './keys.ts';
import { operatorCommands } from './operators.ts';
import { migrate } from '../storage/migrate.ts';
import { environmentCommands } from './environments.ts';
import { tokenCommand } from './token.ts';

const program = new Command('tessera')
  .description('Tessera: self-hosted user identity and event tracking (DashX-compatible)')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('serve')
  .description('start the server (the default database is embedded: nothing to install)')
  .option('--port <port>', 'TCP port (env PORT, default 4000)')
  .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
  .option('--database-url <url>', 'pglite://DIR, memory:// or postgres://… (env DATABASE_URL)')
  .addOption(
    new Option('--log-level <level>', 'env LOG_LEVEL, default info').choices([
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
  )
  .action((opts: { port?: string; host?: string; databaseUrl?: string; logLevel?: string }) => serve(opts));

program
  .command('migrate')
  .description('apply pending database migrations (the server also does this at start)')
  .option('--database-url <url>', 'env DATABASE_URL')
  .option('--json', 'print JSON only')
  .action((opts: { databaseUrl?: string; json?: boolean }) =>
    withServices(opts, async ({ db }) => {
      const result = await migrate(db);
      print(opts, result, () =>
        result.applied.length === 0
          ? `Schema is current (version ${result.to}).`
          : `Migrated ${result.from} → ${result.to}: ${result.applied.join(', ')}`,
      );
    }),
  );

environmentCommands(program);
keyCommands(program);
operatorCommands(program);
tokenCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(
    `error: ${isTesseraError(err) ? err.message : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exitCode = 1;
}
