/**
 * Request rate limits, per process and in memory (several processes each allow the full rate):
 * ingest per public key, failed or missing credentials per client address, and the admin API
 * per client address. Over a limit, the answer is 429 RATE_LIMITED with `Retry-After`. An
 * environment may set its own per-key rate (`rate_limit_per_key`); TESSERA_RATE_LIMIT=off turns
 * those off too.
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCode, TesseraError, isTesseraError } from '../errors.ts';
import { TokenBuckets } from '../util/token-bucket.ts';

/** Requests a second; each limit allows a burst of twice that at once. */
export interface RateLimitSettings {
  /** Ingest requests per public key. */
  perKey: number;
  /** Ingest requests per client address whose credentials are missing or wrong. */
  perIp: number;
  /** Admin API (and so dashboard) requests per client address. */
  admin: number;
}

export interface RateLimits {
  /** Before checking an ingest request's credentials: refuses an address that keeps failing them. */
  beforeAuth(ip: string): void;
  /** After its credentials failed: counts the failure against the address. */
  failedAuth(ip: string, err: unknown): void;
  /**
   * After its credentials were accepted: counts the request against the key, at the key's
   * environment's own rate when it has one (`rate_limit_per_key`), else at `perKey`.
   */
  accepted(publicKey: string, ratePerSecond?: number | null): void;
  /** A Fastify `onRequest` hook for the admin API. */
  admin(request: FastifyRequest): Promise<void>;
}

// A page on a refused origin counts too: a flood from one foreign page slows only its own address.
const AUTH_FAILURES: ReadonlySet<string> = new Set([
  ErrorCode.UNAUTHORIZED,
  ErrorCode.FORBIDDEN,
  ErrorCode.ORIGIN_NOT_ALLOWED,
]);

/** No limits at all (`TESSERA_RATE_LIMIT=off`). */
export const unlimited: RateLimits = {
  beforeAuth() {},
  failedAuth() {},
  accepted() {},
  admin: async () => {},
};

/** @example const limits = createRateLimits({ perKey: 1000, perIp: 100, admin: 50 }); */
export function createRateLimits(settings: RateLimitSettings | undefined): RateLimits {
  if (settings === undefined) return unlimited;
  const buckets = (rate: number) => new TokenBuckets({ ratePerSecond: rate, burst: rate * 2 });
  const keys = buckets(settings.perKey);
  const failures = buckets(settings.perIp);
  const admins = buckets(settings.admin);
  return {
    beforeAuth(ip) {
      const wait = failures.peek(ip);
      if (wait > 0) throw rateLimited(wait, 'Too many requests with missing or wrong credentials from this address');
    },
    failedAuth(ip, err) {
      if (isTesseraError(err) && AUTH_FAILURES.has(err.code)) failures.take(ip);
    },
    accepted(publicKey, ratePerSecond) {
      // Burst twice the rate, as for the server-wide one.
      const own = ratePerSecond ?? undefined;
      const wait = keys.take(publicKey, own === undefined ? undefined : { ratePerSecond: own, burst: own * 2 });
      if (wait > 0) throw rateLimited(wait, 'Too many requests for this public key');
    },
    async admin(request) {
      const wait = admins.take(request.ip);
      if (wait > 0) throw rateLimited(wait, 'Too many admin requests from this address');
    },
  };
}

function rateLimited(seconds: number, message: string): TesseraError {
  return new TesseraError(ErrorCode.RATE_LIMITED, `${message}; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}
