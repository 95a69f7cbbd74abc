/** The `tessera` command line: serve, init, migrate, environments, keys, token, operators, backup, restore, move. */
import { Command, Option } from 'commander';
import { serverVersion } from '../version.ts';
import { backupCommands } from './backup.ts';
import { environmentCommands } from './environments.ts';
import { initCommand } from './init.ts';
import { keyCommands } from './keys.ts';
import { migrateCommand } from './migrate.ts';
import { moveCommand } from './move.ts';
import { operatorCommands } from './operators.ts';
import { serve } from './serve.ts';
import { tokenCommand } from './token.ts';

const program = new Command('tessera')
  .description('Tessera: self-hosted user identity and event tracking (DashX-compatible)')
  .version(serverVersion(), '-V, --version', 'print the version');

program
  .command('serve')
  .description('start the server (the default database is embedded: nothing to install)')
  .option('--port <port>', 'TCP port (env PORT, default 4000)')
  .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
  .option('--database-url <url>', 'pglite://DIR, memory:// or postgres://… (env DATABASE_URL or DATABASE_URL_FILE)')
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
  .option(
    '--trust-proxy <value>',
    'believe X-Forwarded-For/-Proto from these proxies: true, a hop count, or addresses/CIDRs (env TESSERA_TRUST_PROXY, default off)',
  )
  .option('--base-path <path>', 'serve everything under this path prefix, e.g. /tessera (env TESSERA_BASE_PATH)')
  .action(
    (opts: {
      port?: string;
      host?: string;
      databaseUrl?: string;
      logLevel?: string;
      trustProxy?: string;
      basePath?: string;
    }) => serve(opts),
  );

initCommand(program);
migrateCommand(program);
environmentCommands(program);
keyCommands(program);
operatorCommands(program);
tokenCommand(program);
backupCommands(program);
moveCommand(program);
oneLineErrors(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // One line, never a stack trace: the message names the setting and what to do.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 1;
}

/** Commander's own errors (a missing option, a bad choice) as one line that says where help is. */
function oneLineErrors(command: Command): void {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  command.configureOutput({
    outputError: (text, write) =>
      write(`${text.trim().replace(/\s*\n\s*/g, ' ')} (see \`${path.join(' ')} --help\`)\n`),
  });
  for (const sub of command.commands) oneLineErrors(sub);
}
