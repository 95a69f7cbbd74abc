/**
 * HTTP to the native `/v1` API: keys in headers, a timeout per attempt, the server's error body
 * turned into a TesseraError, retries with backoff, and a debug log line per attempt that never
 * holds a key, token or payload.
 */
import { ErrorCode, type ErrorBody } from '@tessera/protocol';
import { backoffMs, isRetryableStatus, retryAfterMs, TesseraError, type TesseraErrorCode } from '@tessera/sdk-core';
import type { Settings } from './options.ts';
import { sleep } from './sleep.ts';
import { VERSION } from './version.ts';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the base URL, e.g. `v1/batch`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** The JSON body, made anew for each attempt (so `sentAt` is the attempt's own time). */
  body?: () => string;
  /** For the debug log, e.g. `3 events`. */
  note?: string;
}

export type HttpResult =
  { ok: true; status: number; body: unknown } | { ok: false; error: TesseraError; retryable: boolean };

export interface RetryPolicy {
  maxRetries: number;
  /** A wait longer than this ends the retries: the error goes to the caller instead. */
  maxWaitMs: number;
}

/** The codes a Tessera server sends; any other code in an error body is not Tessera's. */
const serverCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export class Http {
  readonly #headers: Record<string, string>;

  constructor(
    private readonly settings: Settings,
    private readonly fetchFn: typeof fetch,
    private readonly now: () => number,
  ) {
    this.#headers = {
      accept: 'application/json',
      'user-agent': `@tessera/node/${VERSION} node/${process.versions.node}`,
      'x-public-key': settings.publicKey,
      ...(settings.privateKey === undefined ? {} : { 'x-private-key': settings.privateKey }),
      ...(settings.targetEnvironment === undefined ? {} : { 'x-target-environment': settings.targetEnvironment }),
    };
  }

  /** Sends with retries; resolves with the last outcome (never rejects). */
  async send(request: HttpRequest, policy: RetryPolicy, signal: AbortSignal): Promise<HttpResult> {
    for (let retry = 0; ; retry++) {
      const result = await this.attempt(request, signal);
      if (result.ok || !result.retryable) return result;
      if (signal.aborted) return { ok: false, error: shutDown(result.error), retryable: false };
      if (retry >= policy.maxRetries) return result;
      const wait = result.error.retryAfterMs ?? backoffMs(retry);
      if (wait > policy.maxWaitMs) return result;
      this.log(`  retry ${retry + 1}/${policy.maxRetries} in ${Math.round(wait)} ms`);
      await sleep(wait, signal);
      if (signal.aborted) return { ok: false, error: shutDown(result.error), retryable: false };
    }
  }

  /** One attempt. */
  async attempt(request: HttpRequest, signal: AbortSignal): Promise<HttpResult> {
    const url = new URL(request.path, this.settings.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const label = `${request.method} ${url.pathname}${request.note ? ` (${request.note})` : ''}`;
    const started = this.now();
    const ms = () => `${Math.max(0, Math.round(this.now() - started))} ms`;
    // One controller per attempt, aborted by its own timer or by the client's shutdown. (Not
    // AbortSignal.any: combining a long-lived signal per request leaks in Node, nodejs/node#55351.)
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.settings.timeout);
    const onShutdown = () => controller.abort();
    signal.addEventListener('abort', onShutdown, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, {
        method: request.method,
        headers: request.body ? { ...this.#headers, 'content-type': 'application/json' } : this.#headers,
        ...(request.body ? { body: request.body() } : {}),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (cause) {
      if (signal.aborted) {
        this.log(`[tessera] ${label} → aborted by shutdown after ${ms()}`);
        return { ok: false, error: shutDown(undefined, cause), retryable: false };
      }
      const why = timedOut ? `no answer within ${this.settings.timeout} ms` : describe(cause);
      this.log(`[tessera] ${label} → network error (${why}) after ${ms()}`);
      const error = new TesseraError('NETWORK', `Could not reach Tessera at ${this.settings.baseUrl.origin}: ${why}`, {
        cause,
      });
      return { ok: false, error, retryable: true };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onShutdown);
    }

    const body = parseJson(text);
    if (response.ok) {
      this.log(`[tessera] ${label} → ${response.status} in ${ms()}`);
      if (body === undefined) {
        const error = new TesseraError(
          'UNEXPECTED_RESPONSE',
          `${label} answered ${response.status} without JSON: is baseUri a Tessera server?`,
          { status: response.status },
        );
        return { ok: false, error, retryable: false };
      }
      return { ok: true, status: response.status, body };
    }
    const error = errorOf(response, body, label, this.now());
    this.log(`[tessera] ${label} → ${response.status} ${error.code} in ${ms()}`);
    return { ok: false, error, retryable: isRetryableStatus(response.status) };
  }

  log(line: string): void {
    this.settings.log?.(line);
  }
}

/** The server's `{ error: { code, message, reason } }`, or an error made from the status alone. */
function errorOf(response: Response, body: unknown, label: string, now: number): TesseraError {
  const status = response.status;
  const retryAfter = retryAfterMs(response.headers.get('retry-after'), now);
  const options = { status, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string' && serverCodes.has(error.code) && typeof error.message === 'string') {
    return new TesseraError(error.code, error.message, {
      ...options,
      ...(error.reason ? { reason: error.reason } : {}),
    });
  }
  const code: TesseraErrorCode =
    status === 429
      ? 'RATE_LIMITED'
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status >= 500
          ? 'UNAVAILABLE'
          : 'UNEXPECTED_RESPONSE';
  const hint = status === 404 ? ': is baseUri a Tessera server?' : '';
  return new TesseraError(code, `${label} answered HTTP ${status}${hint}`, options);
}

function shutDown(last?: TesseraError, cause?: unknown): TesseraError {
  return new TesseraError('SHUT_DOWN', 'The client shut down before the request finished', {
    cause: cause ?? last,
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short reason for a network failure, e.g. `ECONNREFUSED`. */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
