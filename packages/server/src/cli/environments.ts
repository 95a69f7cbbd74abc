/** `tessera environments create|list`. */
import { Option, type Command } from 'commander';
import { print, withAdmin, type CommonOptions } from './context.ts';
import { table } from './output.ts';
import type { EnvironmentJson, KeyPairJson } from './wire.ts';

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
    .action(
      (name: string, opts: CommonOptions & { verification: 'required' | 'optional'; allowLegacyTokens?: boolean }) =>
        withAdmin(opts, async (admin) => {
          const created = await admin.call<EnvironmentJson & { keyPair: KeyPairJson }>('POST', '/environments', {
            name,
            identityVerification: opts.verification,
            allowLegacyTokens: opts.allowLegacyTokens ?? false,
          });
          print(opts, created, () =>
            [
              `Created environment "${created.name}" (identity verification ${created.identityVerification}).`,
              `  public key  ${created.keyPair.publicKey}`,
              `  private key ${created.keyPair.privateKey}   (keep it on your backend; \`tessera keys reveal\` shows it again)`,
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
      withAdmin(opts, async (admin) => {
        const { environments: list } = await admin.call<{ environments: EnvironmentJson[] }>('GET', '/environments');
        const withoutKeys = list.map(({ keyPairs: _, ...e }) => e);
        print(opts, { environments: withoutKeys }, () =>
          table([
            ['NAME', 'VERIFICATION', 'LEGACY TOKENS', 'CREATED'],
            ...list.map((e) => [e.name, e.identityVerification, e.allowLegacyTokens ? 'yes' : 'no', e.createdAt]),
          ]),
        );
      }),
    );
}
