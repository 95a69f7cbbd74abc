/**
 * `tessera init`: set up an empty installation without questions — an admin API token, the first
 * operator and the environments with their key pairs, printed once (`--json` for deploy scripts).
 */
import type { Command } from 'commander';
import { print, withAdmin, type CommonOptions } from './context.ts';
import { operatorPassword, withPasswordOptions, type PasswordOptions } from './operators.ts';
import { keyPairLines } from './output.ts';
import type { EnvironmentJson, KeyPairJson, OperatorJson } from './wire.ts';

interface InitAnswer {
  adminToken: string;
  operator: OperatorJson;
  environments: Array<EnvironmentJson & { created: boolean; keyPair: KeyPairJson }>;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function initCommand(program: Command): void {
  withPasswordOptions(
    program
      .command('init')
      .description('set up an empty installation: an admin API token, the first operator, environments and keys')
      .requiredOption('--email <email>', "the first operator's email (the dashboard sign-in name)"),
  )
    .option(
      '--environment <name>',
      'an environment to create (repeatable; default production and staging)',
      collect,
      [],
    )
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(async (opts: CommonOptions & PasswordOptions & { email: string; environment: string[] }) => {
      const password = await operatorPassword(opts);
      await withAdmin(opts, async (admin) => {
        const done = await admin.call<InitAnswer>('POST', '/init', {
          email: opts.email,
          password,
          ...(opts.environment.length > 0 ? { environments: opts.environment } : {}),
        });
        print(opts, done, () =>
          [
            'Tessera is set up. Store these now: the admin token is shown only this once.',
            '',
            `  admin API token  ${done.adminToken}   (Authorization: Bearer …)`,
            `  operator         ${done.operator.email}   (signs in to the dashboard)`,
            '',
            ...done.environments.flatMap((e) => keyPairLines(e.name, e.keyPair)),
            ...(done.environments.some((e) => !e.created)
              ? [
                  '',
                  `  (${done.environments
                    .filter((e) => !e.created)
                    .map((e) => e.name)
                    .join(', ')}: made by the first start, kept)`,
                ]
              : []),
          ].join('\n'),
        );
      });
    });
}
