/**
 * JSON shapes of the admin API. Private keys appear only in answers that create key pairs and in
 * the owner's explicit reveal.
 */
import type { Environment, KeyPair } from '../../services/environments.ts';
import { isActive } from '../../services/environments.ts';
import type { Operator } from '../../services/operators.ts';

export function presentOperator(o: Operator) {
  return { id: o.id, email: o.email, createdAt: o.createdAt, lastLoginAt: o.lastLoginAt };
}

export function presentKeyPair(pair: KeyPair, options: { withPrivateKey?: boolean } = {}) {
  return {
    publicKey: pair.publicKey,
    ...(options.withPrivateKey ? { privateKey: pair.privateKey } : {}),
    active: isActive(pair),
    createdAt: pair.createdAt,
    expiresAt: pair.expiresAt,
    revokedAt: pair.revokedAt,
  };
}

export function presentEnvironment(env: Environment, keyPairs?: KeyPair[]) {
  return {
    id: env.id,
    name: env.name,
    identityVerification: env.identityVerification,
    allowLegacyTokens: env.allowLegacyTokens,
    allowedOrigins: env.allowedOrigins,
    rateLimitPerKey: env.rateLimitPerKey,
    createdAt: env.createdAt,
    ...(keyPairs ? { keyPairs: keyPairs.map((p) => presentKeyPair(p)) } : {}),
  };
}
