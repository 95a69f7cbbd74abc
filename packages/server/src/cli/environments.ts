/** `tessera environments create|update|list`. */
import { Option, type Command } from 'commander';
import { print, withAdmin, type CommonOptions } from './context.ts';
import { describeOrigins, describeRate, settingsOf, type SettingsFlags } from './environment-settings.ts';
import { table } from './output.ts';
import type { EnvironmentJson, KeyPairJson } from './wire.ts';

const originsHelp =
  'browser origins allowed to use its keys, comma-separated (https://app.example.com,https://*.example.com), or "open" for any';
const rateHelp = 'ingest requests a second per public key, or "default" for TESSERA_RATE_LIMIT_PER_KEY';

/** One line of an environment's settings, for people. */
function settingsLine(e: EnvironmentJson): string {
  return (
    `identity verification ${e.identityVerification}, legacy tokens ${e.allowLegacyTokens ? 'on' : 'off'}, ` +
    `allowed origins ${describeOrigins(e.allowedOrigins)}, rate limit per key ${describeRate(e.rateLimitPerKey)}`
  );
}

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
    .option('--allowed-origins <list>', originsHelp)
    .option('--rate-limit-per-key <n>', rateHelp)
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(
      (
        name: string,
        opts: CommonOptions & SettingsFlags & { verification: 'required' | 'optional'; allowLegacyTokens?: boolean },
      ) => {
        const settings = settingsOf(opts);
        return withAdmin(opts, async (admin) => {
          const created = await admin.call<EnvironmentJson & { keyPair: KeyPairJson }>('POST', '/environments', {
            name,
            identityVerification: opts.verification,
            allowLegacyTokens: opts.allowLegacyTokens ?? false,
            ...settings,
          });
          print(opts, created, () =>
            [
              `Created environment "${created.name}" (${settingsLine(created)}).`,
              `  public key  ${created.keyPair.publicKey}`,
              `  private key ${created.keyPair.privateKey}   (keep it on your backend; \`tessera keys reveal\` shows it again)`,
            ].join('\n'),
          );
        });
      },
    );

  environments
    .command('update <name>')
    .description("change an environment's settings (those not given stay as they are)")
    .addOption(new Option('--verification <mode>', 'identity verification').choices(['required', 'optional']))
    .option('--allow-legacy-tokens', 'accept the AES tokens of @dashx/node 0.1.x (they never expire)')
    .option('--no-allow-legacy-tokens', 'refuse the AES tokens of @dashx/node 0.1.x')
    .option('--allowed-origins <list>', originsHelp)
    .option('--rate-limit-per-key <n>', rateHelp)
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action(
      (
        name: string,
        opts: CommonOptions & SettingsFlags & { verification?: 'required' | 'optional'; allowLegacyTokens?: boolean },
      ) => {
        const changes = {
          ...(opts.verification !== undefined && { identityVerification: opts.verification }),
          ...(opts.allowLegacyTokens !== undefined && { allowLegacyTokens: opts.allowLegacyTokens }),
          ...settingsOf(opts),
        };
        return withAdmin(opts, async (admin) => {
          const updated = await admin.call<EnvironmentJson>(
            'PATCH',
            `/environments/${encodeURIComponent(name)}`,
            changes,
          );
          print(opts, updated, () => `Updated environment "${updated.name}": ${settingsLine(updated)}.`);
        });
      },
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
            ['NAME', 'VERIFICATION', 'LEGACY TOKENS', 'ALLOWED ORIGINS', 'RATE LIMIT PER KEY', 'CREATED'],
            ...list.map((e) => [
              e.name,
              e.identityVerification,
              e.allowLegacyTokens ? 'yes' : 'no',
              describeOrigins(e.allowedOrigins),
              describeRate(e.rateLimitPerKey),
              e.createdAt,
            ]),
          ]),
        );
      }),
    );
}
