/** `tessera token`: print an identity token for a user, signed with the environment's key. */
import type { Command } from 'commander';
import { parseDuration } from '../tokens/index.ts';
import { segment } from './admin-client.ts';
import { print, withAdmin, type CommonOptions } from './context.ts';

export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description('print an identity token (JWT, HS256) for a user, as an app backend would mint it')
    .requiredOption('--environment <name>', 'environment name')
    .requiredOption('--uid <uid>', "the user's uid")
    .option('--expires-in <duration>', 'lifetime: 7d, 12h, 15m, 30s or seconds', '7d')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string; uid: string; expiresIn: string }) => {
      parseDuration(opts.expiresIn); // a typo fails before any database is opened
      return withAdmin(opts, async (admin) => {
        const minted = await admin.call<{ token: string; uid: string; environment: string; expiresAt: string }>(
          'POST',
          `/environments/${segment(opts.environment)}/identity-tokens`,
          { uid: opts.uid, expiresIn: opts.expiresIn },
        );
        print(opts, minted, () => minted.token);
      });
    });
}
