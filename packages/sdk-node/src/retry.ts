/** When to retry a request and how long to wait first (docs: reliability policy). */

/** First backoff step: 1 s, doubled each retry... */
export const BASE_DELAY_MS = 1000;
/** ...up to 5 min, which is also the most a `Retry-After` may make us wait. */
export const MAX_DELAY_MS = 5 * 60 * 1000;

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so a fleet of
 * clients that failed together does not retry together, yet no retry comes too early.
 * @param retry 0 for the first retry.
 * @example backoffMs(0) // 500-1000; backoffMs(3) // 4000-8000
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The wait a `Retry-After` header asks for, in ms, capped at 5 min; undefined when absent or
 * unreadable. Takes seconds (`"120"`, `"0.5"`) or an HTTP date.
 * @example retryAfterMs('2', Date.now()) // 2000
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_DELAY_MS, Math.max(0, Math.round(ms)));
}

/**
 * Whether an HTTP status is worth retrying: 408, 429 and 5xx except 501 (not implemented: a
 * retry cannot help). 4xx answers are final; 413 is handled by splitting the batch.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** Resolves after `ms`, or at once when `signal` aborts (without throwing). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
