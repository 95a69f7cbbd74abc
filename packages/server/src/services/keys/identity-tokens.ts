/** Identity tokens minted by the installation itself (`tessera token`, the admin API), as an app backend would. */
import { ErrorCode } from '@tessera/protocol';
import { TesseraError } from '../../errors.ts';
import { parseDuration, signJwt } from '../../tokens/index.ts';
import { validateId } from '../../validation/index.ts';
import { isActive, type EnvironmentService } from '../environments.ts';

export interface MintedToken {
  token: string;
  uid: string;
  environment: string;
  expiresAt: Date;
}

export class IdentityTokenService {
  constructor(private readonly environments: EnvironmentService) {}

  /**
   * Signs a token for `uid` with the environment's newest active key: after a rotation, tokens
   * move to the new key.
   * @param expiresIn `7d`, `12h`, `15m`, `30s` or whole seconds. Default `7d`.
   * @example const { token } = await identityTokens.mint('production', 'user-1', '1h');
   */
  async mint(environmentName: string, uid: string, expiresIn: string = '7d'): Promise<MintedToken> {
    const checkedUid = validateId(uid, 'uid');
    if (checkedUid === undefined) throw new TesseraError(ErrorCode.INVALID_INPUT, 'uid is required');
    const expiresInSeconds = parseDuration(expiresIn);
    const env = await this.environments.get(environmentName);
    const pair = (await this.environments.keyPairs(env.id)).filter((p) => isActive(p)).pop();
    if (!pair) throw new TesseraError(ErrorCode.CONFLICT, `Environment "${env.name}" has no active key pair`);
    const token = signJwt({ uid: checkedUid, secret: pair.privateKey, expiresInSeconds, audience: env.name });
    return { token, uid: checkedUid, environment: env.name, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
  }
}
