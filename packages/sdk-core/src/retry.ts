/**
 * When every Tessera SDK retries a request and how long it waits first: exponential backoff
 * from 1 s to 5 min with jitter, the server's `Retry-After` (capped at 5 min) when it sends one.
 */

/** First backoff step: 1 s, doubled each retry… */
export const BASE_DELAY_MS = 1000;
/** …up to 5 min, which is also the most a `Retry-After` may make a client wait. */
export const MAX_DELAY_MS = 300_000;

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so a fleet of
 * clients that failed together does not retry together, yet none retries too early.
 * @param retry 0 for the first retry.
 * @example backoffMs(0) // 500–1000; backoffMs(3) // 4000–8000
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return (step / 2) * (1 + random());
}

/**
 * The wait a `Retry-After` header asks for, in ms, at most 5 min; undefined when absent or
 * unreadable. Takes seconds (`"120"`, `"0.5"`) or an HTTP date.
 * @example retryAfterMs('2', Date.now()) // 2000
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const ms = +header >= 0 ? +header * 1000 : Date.parse(header) - now;
  // NaN (an unreadable date) is the one value not equal to itself.
  return ms === ms ? Math.min(MAX_DELAY_MS, Math.max(0, ms)) : undefined;
}

/**
 * Whether an HTTP status is worth retrying (0: no answer at all): 408, 429 and 5xx except 501
 * (not implemented: a retry cannot help). Other 4xx answers are final; 413 splits the batch.
 */
export function isRetryableStatus(status: number): boolean {
  return !status || status === 408 || status === 429 || (status > 499 && status !== 501);
}
