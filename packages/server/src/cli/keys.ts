/** `tessera keys create|list|revoke|import|reveal`. */
import type { Command } from 'commander';
import { loadSecretInputs } from '../config.ts';
import { segment } from './admin-client.ts';
import { print, withAdmin, type CommonOptions } from './context.ts';
import { keyPairLines, table } from './output.ts';
import { readSecret } from './secrets.ts';
import type { EnvironmentJson, KeyPairJson } from './wire.ts';

const state = (p: KeyPairJson) => (p.revokedAt ? 'revoked' : p.active ? 'active' : 'expired');

export function keyCommands(program: Command): void {
  const keys = program.command('keys').description('manage key pairs');

  keys
    .command('create')
    .description('add a key pair to an environment (at most two active: rotate, then revoke the old one)')
    .requiredOption('--environment <name>', 'environment name')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string }) =>
      withAdmin(opts, async (admin) => {
        const pair = await admin.call<KeyPairJson>('POST', `/environments/${segment(opts.environment)}/key-pairs`, {});
        print(opts, { environment: opts.environment, ...pair }, () =>
          [`New key pair for "${opts.environment}":`, ...keyPairLines(opts.environment, pair)].join('\n'),
        );
      }),
    );

  keys
    .command('list')
    .description('list key pairs (never private keys: see `keys reveal`)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withAdmin(opts, async (admin) => {
        const { environments } = await admin.call<{ environments: EnvironmentJson[] }>('GET', '/environments');
        const rows = environments.flatMap((e) => (e.keyPairs ?? []).map((p) => ({ environment: e.name, ...p })));
        print(opts, { keyPairs: rows }, () =>
          table([
            ['ENVIRONMENT', 'PUBLIC KEY', 'STATE', 'CREATED'],
            ...rows.map((p) => [p.environment, p.publicKey, state(p), p.createdAt]),
          ]),
        );
      }),
    );

  keys
    .command('revoke <publicKey>')
    .description('revoke a key pair: it stops working at once')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((publicKey: string, opts: CommonOptions) =>
      withAdmin(opts, async (admin) => {
        const pair = await admin.call<KeyPairJson>('DELETE', `/key-pairs/${segment(publicKey)}`);
        print(opts, pair, () => `Revoked ${pair.publicKey}.`);
      }),
    );

  keys
    .command('import')
    .description('move an existing DashX key pair over to an environment')
    .requiredOption('--environment <name>', 'environment name')
    .requiredOption('--public-key <key>', 'the public key')
    .option('--private-key-file <file>', 'read the private key (32 bytes) from a file')
    .option('--private-key-stdin', 'read the private key from stdin')
    .option('--private-key <key>', 'the private key itself (visible to other users in `ps`: prefer the above)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .addHelpText('after', '\nOr set TESSERA_IMPORT_PRIVATE_KEY.')
    .action(
      async (
        opts: CommonOptions & {
          environment: string;
          publicKey: string;
          privateKey?: string;
          privateKeyFile?: string;
          privateKeyStdin?: boolean;
        },
      ) => {
        const privateKey = await readSecret({
          what: 'the private key',
          flag: '--private-key',
          value: opts.privateKey,
          file: opts.privateKeyFile,
          stdin: opts.privateKeyStdin,
          env: { name: 'TESSERA_IMPORT_PRIVATE_KEY', value: loadSecretInputs().importPrivateKey },
        });
        await withAdmin(opts, async (admin) => {
          const pair = await admin.call<KeyPairJson>(
            'POST',
            `/environments/${segment(opts.environment)}/key-pairs/import`,
            { publicKey: opts.publicKey, privateKey },
          );
          print(
            opts,
            { environment: opts.environment, ...pair },
            () => `Imported ${pair.publicKey} into "${opts.environment}".`,
          );
        });
      },
    );

  keys
    .command('reveal')
    .description("show an environment's active key pairs again, private keys included")
    .requiredOption('--environment <name>', 'environment name')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string }) =>
      withAdmin(opts, async (admin) => {
        const revealed = await admin.call<{ environment: string; keyPairs: KeyPairJson[] }>(
          'POST',
          `/environments/${segment(opts.environment)}/key-pairs/reveal`,
        );
        print(opts, revealed, () =>
          revealed.keyPairs.length === 0
            ? `"${revealed.environment}" has no active key pair: create one with \`tessera keys create --environment ${revealed.environment}\`.`
            : revealed.keyPairs.flatMap((p) => keyPairLines(revealed.environment, p)).join('\n'),
        );
      }),
    );
}
