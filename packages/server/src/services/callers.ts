/**
 * Authenticates identity and tracking calls: public key (and private key, for backends) →
 * environment; `X-Target-Environment` checked; identity token verified (both active key pairs
 * of the environment can verify it, so keys rotate without refusing valid tokens).
 */
import { timingSafeEqual } from 'node:crypto';
import { DashXMessage, ErrorCode, Limits } from '@tessera/protocol';
import { TesseraError } from '../errors.ts';
import {
  TokenCache,
  looksLikeJwt,
  verifyJwt,
  verifyLegacyToken,
  type AnyTokenOk,
  type TokenFailure,
} from '../tokens/index.ts';
import type { Caller, Credentials } from './caller.ts';
import { isActive } from './environments.ts';
import { privateKeyPattern } from './key-material.ts';
import type { KeyCache, KeyEntry } from './key-cache.ts';

const improperFormat: TokenFailure = { ok: false, message: DashXMessage.tokenImproperFormat };
const unauthorized = (message: string) => new TesseraError(ErrorCode.UNAUTHORIZED, message);

export class CallerResolver {
  readonly #tokens = new TokenCache();

  constructor(private readonly keys: KeyCache) {}

  async resolve(credentials: Credentials, ip: string): Promise<Caller> {
    const { publicKey, privateKey, targetEnvironment, identityToken } = credentials;
    if (!publicKey) throw unauthorized('Permission denied: send your public key in the X-Public-Key header.');
    if (privateKeyPattern.test(publicKey)) {
      throw unauthorized('A private key was sent as the public key. Keep private keys on your backend.');
    }
    const entry = await this.keys.get(publicKey);
    if (!entry || entry.keyPair.revokedAt !== null) throw unauthorized(DashXMessage.incorrectPublicKey);
    if (!isActive(entry.keyPair)) throw unauthorized(DashXMessage.keyPairExpired);

    const environment = entry.environment;
    if (targetEnvironment && targetEnvironment !== 'undefined' && targetEnvironment !== environment.name) {
      throw unauthorized(`This key pair belongs to environment "${environment.name}", not "${targetEnvironment}".`);
    }

    let backend = false;
    if (privateKey) {
      if (!sameSecret(privateKey, entry.keyPair.privateKey)) {
        throw unauthorized('Incorrect Private Key: it does not belong to this public key.');
      }
      backend = true;
    }

    const tokenUid = identityToken ? this.verifyToken(identityToken, entry).uid : undefined;
    return { environment, backend, tokenUid, ip };
  }

  /** Verifies a token (or serves it from the cache); throws DashX's messages when refused. */
  private verifyToken(token: string, entry: KeyEntry): AnyTokenOk {
    if (token.length > Limits.maxTokenBytes) throw unauthorized(DashXMessage.tokenImproperFormat);
    const now = Date.now() / 1000;
    const active = entry.activeKeyPairs.filter((p) => isActive(p));
    const environmentId = entry.environment.id;
    const cached = this.#tokens.get(environmentId, token, now, (id) => active.some((p) => p.id === id));
    if (cached) return cached;

    const secrets = active.map((p) => p.privateKey);
    const result = looksLikeJwt(token)
      ? verifyJwt(token, secrets, { nowSeconds: now, audience: entry.environment.name })
      : entry.environment.allowLegacyTokens
        ? verifyLegacyToken(token, secrets)
        : improperFormat;
    if (!result.ok) {
      throw new TesseraError(ErrorCode.UNAUTHORIZED, result.message, result.reason ? { reason: result.reason } : {});
    }
    const keyPair = active[result.secretIndex];
    if (keyPair) this.#tokens.set(environmentId, token, result, keyPair.id);
    return result;
  }
}

/** Constant-time comparison of two secrets of possibly different lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
