/** `tessera keys create|list|revoke|import`. */
import type { Command } from 'commander';
import { presentKeyPair } from '../http/admin/presenters.ts';
import { isActive } from '../services/environments.ts';
import { print, withServices, type CommonOptions } from './context.ts';
import { table } from './output.ts';

export function keyCommands(program: Command): void {
  const keys = program.command('keys').description('manage key pairs');

  keys
    .command('create')
    .description('add a key pair to an environment (at most two active: rotate, then revoke the old one)')
    .requiredOption('--environment <name>', 'environment name')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string }) =>
      withServices(opts, async ({ environments }) => {
        const pair = await environments.addKeyPair(opts.environment);
        print(opts, { environment: opts.environment, ...presentKeyPair(pair, { withPrivateKey: true }) }, () =>
          [
            `New key pair for "${opts.environment}":`,
            `  public key  ${pair.publicKey}`,
            `  private key ${pair.privateKey}   (shown only now)`,
          ].join('\n'),
        );
      }),
    );

  keys
    .command('list')
    .description('list key pairs (private keys are never listed)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions) =>
      withServices(opts, async ({ environments }) => {
        const pairs = await environments.allKeyPairs();
        const rows = pairs.map((p) => ({ environment: p.environmentName, ...presentKeyPair(p) }));
        print(opts, { keyPairs: rows }, () =>
          table([
            ['ENVIRONMENT', 'PUBLIC KEY', 'STATE', 'CREATED'],
            ...pairs.map((p) => [
              p.environmentName,
              p.publicKey,
              p.revokedAt ? 'revoked' : isActive(p) ? 'active' : 'expired',
              p.createdAt.toISOString(),
            ]),
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
      withServices(opts, async ({ environments }) => {
        const pair = await environments.revokeKeyPair(publicKey);
        print(opts, presentKeyPair(pair), () => `Revoked ${pair.publicKey}.`);
      }),
    );

  keys
    .command('import')
    .description('move an existing DashX key pair over to an environment')
    .requiredOption('--environment <name>', 'environment name')
    .requiredOption('--public-key <key>', 'the public key')
    .requiredOption('--private-key <key>', 'the private key (32 bytes)')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string; publicKey: string; privateKey: string }) =>
      withServices(opts, async ({ environments }) => {
        const pair = await environments.addKeyPair(opts.environment, {
          keys: { publicKey: opts.publicKey, privateKey: opts.privateKey },
        });
        print(
          opts,
          { environment: opts.environment, ...presentKeyPair(pair) },
          () => `Imported ${pair.publicKey} into "${opts.environment}".`,
        );
      }),
    );
}
