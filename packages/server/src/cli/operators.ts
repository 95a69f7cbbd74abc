/** `tessera operators create|list|set-password`: the dashboard's operator accounts. */
import type { Command } from 'commander';
import { loadSecretInputs } from '../config.ts';
import { segment } from './admin-client.ts';
import { print, withAdmin, type CommonOptions } from './context.ts';
import { table } from './output.ts';
import { readSecret } from './secrets.ts';
import type { OperatorJson } from './wire.ts';

export interface PasswordOptions {
  password?: string;
  passwordFile?: string;
  passwordStdin?: boolean;
}

/** The ways to give a new operator password; `--password VALUE` last, as `ps` shows it to everyone. */
export function withPasswordOptions(command: Command): Command {
  return command
    .option('--password-file <file>', 'read the password (at least 10 characters) from a file')
    .option('--password-stdin', 'read the password from stdin')
    .option('--password <password>', 'the password itself (visible in `ps` and shell history: prefer the above)')
    .addHelpText('after', '\nOr set TESSERA_OPERATOR_PASSWORD.');
}

/** The password from its one source. */
export function operatorPassword(opts: PasswordOptions): Promise<string> {
  return readSecret({
    what: 'the password',
    flag: '--password',
    value: opts.password,
    file: opts.passwordFile,
    stdin: opts.passwordStdin,
    env: { name: 'TESSERA_OPERATOR_PASSWORD', value: loadSecretInputs().operatorPassword },
  });
}

export function operatorCommands(program: Command): void {
  const operators = program.command('operators').description('manage dashboard operator accounts');

  withPasswordOptions(
    operators
      .command('create')
      .description('add an operator who can sign in to the dashboard')
      .requiredOption('--email <email>', 'email address (the sign-in name)'),
  )
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & PasswordOptions & { email: string }) => {
      const password = await operatorPassword(opts);
      await withAdmin(opts, async (admin) => {
        const operator = await admin.call<OperatorJson>('POST', '/operators', { email: opts.email, password });
        print(opts, operator, () => `Created operator ${operator.email}: sign in to the dashboard at /.`);
      });
    });

  withPasswordOptions(
    operators
      .command('set-password')
      .description("replace an operator's password (ends their sessions)")
      .requiredOption('--email <email>', 'the operator'),
  )
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & PasswordOptions & { email: string }) => {
      const password = await operatorPassword(opts);
      await withAdmin(opts, async (admin) => {
        const operator = await admin.call<OperatorJson>('PUT', `/operators/${segment(opts.email.trim())}/password`, {
          password,
        });
        print(opts, operator, () => `Changed the password of ${operator.email}.`);
      });
    });

  operators
    .command('list')
    .description('list operators')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withAdmin(opts, async (admin) => {
        const { operators: list } = await admin.call<{ operators: OperatorJson[] }>('GET', '/operators');
        print(opts, { operators: list }, () =>
          list.length === 0
            ? 'No operators yet: open the dashboard to create the first one, or run `tessera operators create`.'
            : table([
                ['EMAIL', 'CREATED', 'LAST SIGN-IN'],
                ...list.map((o) => [o.email, o.createdAt, o.lastLoginAt ?? '-']),
              ]),
        );
      }),
    );
}
