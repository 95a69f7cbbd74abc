/** `tessera operators create|list|set-password`: the dashboard's operator accounts. */
import type { Command } from 'commander';
import type { Operator } from '../services/operators.ts';
import { print, withServices, type CommonOptions } from './context.ts';
import { table } from './output.ts';

const present = (o: Operator) => ({ id: o.id, email: o.email, createdAt: o.createdAt, lastLoginAt: o.lastLoginAt });

export function operatorCommands(program: Command): void {
  const operators = program.command('operators').description('manage dashboard operator accounts');

  operators
    .command('create')
    .description('add an operator who can sign in to the dashboard')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { email: string; password: string }) =>
      withServices(opts, async ({ operators: service }) => {
        const operator = await service.create(opts.email, opts.password);
        print(opts, present(operator), () => `Created operator ${operator.email}: sign in to the dashboard at /.`);
      }),
    );

  operators
    .command('set-password')
    .description("replace an operator's password (ends their sessions)")
    .requiredOption('--email <email>', 'the operator')
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { email: string; password: string }) =>
      withServices(opts, async ({ operators: service }) => {
        const operator = await service.setPassword(opts.email, opts.password);
        print(opts, present(operator), () => `Changed the password of ${operator.email}.`);
      }),
    );

  operators
    .command('list')
    .description('list operators')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withServices(opts, async ({ operators: service }) => {
        const list = await service.list();
        print(opts, { operators: list.map(present) }, () =>
          list.length === 0
            ? 'No operators yet: open the dashboard to create the first one, or run `tessera operators create`.'
            : table([
                ['EMAIL', 'CREATED', 'LAST SIGN-IN'],
                ...list.map((o) => [o.email, o.createdAt.toISOString(), o.lastLoginAt?.toISOString() ?? '-']),
              ]),
        );
      }),
    );
}
