/** `tessera token`: print an identity token for a user, signed with the environment's key. */
import { ErrorCode } from '@tessera/protocol';
import type { Command } from 'commander';
import { TesseraError } from '../errors.ts';
import { isActive } from '../services/environments.ts';
import { parseDuration, signJwt } from '../tokens/index.ts';
import { print, withServices, type CommonOptions } from './context.ts';

export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description('print an identity token (JWT, HS256) for a user, as an app backend would mint it')
    .requiredOption('--environment <name>', 'environment name')
    .requiredOption('--uid <uid>', "the user's uid")
    .option('--expires-in <duration>', 'lifetime: 7d, 12h, 15m, 30s or seconds', '7d')
    .option('--database-url <url>', 'env DATABASE_URL')
    .option('--json', 'print JSON only')
    .action((opts: CommonOptions & { environment: string; uid: string; expiresIn: string }) =>
      withServices(opts, async ({ environments }) => {
        const expiresInSeconds = parseDuration(opts.expiresIn);
        const env = await environments.get(opts.environment);
        // The newest active key signs: after a rotation, tokens move to the new key.
        const pair = (await environments.keyPairs(env.id)).filter((p) => isActive(p)).pop();
        if (!pair) throw new TesseraError(ErrorCode.CONFLICT, `Environment "${env.name}" has no active key pair`);
        const token = signJwt({ uid: opts.uid, secret: pair.privateKey, expiresInSeconds, audience: env.name });
        const expiresAt = new Date(Date.now() + expiresInSeconds * 1000);
        print(opts, { token, uid: opts.uid, environment: env.name, expiresAt }, () => token);
      }),
    );
}
