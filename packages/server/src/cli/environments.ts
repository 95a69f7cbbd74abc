/** `tessera environments create|list`. */
import { Option, type Command } from 'commander';
import { presentEnvironment, presentKeyPair } from '../http/admin/presenters.ts';
import type { IdentityVerification } from '../services/environments.ts';
import { print, withServices, type CommonOptions } from './context.ts';
import { table } from './output.ts';

export function environmentCommands(program: Command): void {
  const environments = program.command('environments').description('manage environments');

  environments
    .command('create <name>')
    .description('create an environment with its first key pair')
    .addOption(
      new Option('--verification <mode>', 'identity verification')
        .choices(['required', 'optional'])
        .default('required'),
    )
    .option('--allow-legacy-tokens', 'accept the AES tokens of @dashx/node 0.1.x (they never expire)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((name: string, opts: CommonOptions & { verification: IdentityVerification; allowLegacyTokens?: boolean }) =>
      withServices(opts, async ({ environments: service }) => {
        const { environment, keyPair } = await service.create(name, {
          identityVerification: opts.verification,
          allowLegacyTokens: opts.allowLegacyTokens ?? false,
        });
        const result = {
          ...presentEnvironment(environment),
          keyPair: presentKeyPair(keyPair, { withPrivateKey: true }),
        };
        print(opts, result, () =>
          [
            `Created environment "${environment.name}" (identity verification ${environment.identityVerification}).`,
            `  public key  ${keyPair.publicKey}`,
            `  private key ${keyPair.privateKey}   (shown only now)`,
          ].join('\n'),
        );
      }),
    );

  environments
    .command('list')
    .description('list environments')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withServices(opts, async ({ environments: service }) => {
        const list = await service.list();
        print(opts, { environments: list.map((e) => presentEnvironment(e)) }, () =>
          table([
            ['NAME', 'VERIFICATION', 'LEGACY TOKENS', 'CREATED'],
            ...list.map((e) => [
              e.name,
              e.identityVerification,
              e.allowLegacyTokens ? 'yes' : 'no',
              e.createdAt.toISOString(),
            ]),
          ]),
        );
      }),
    );
}
