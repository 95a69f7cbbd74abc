/** Identity tokens: HS256 JWT verification, legacy AES-GCM tokens, signing and a verified-token cache. */
export { verifyJwt } from './jwt.ts';
export { verifyLegacyToken, looksLikeJwt } from './legacy.ts';
export { signJwt, parseDuration, type SignJwtOptions } from './sign.ts';
export { TokenCache, type TokenCacheOptions } from './cache.ts';
export type {
  AnyTokenOk,
  JwtOk,
  LegacyOk,
  LegacyTokenResult,
  TokenFailure,
  TokenOk,
  TokenResult,
  VerifyJwtOptions,
} from './types.ts';
