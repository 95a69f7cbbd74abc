/** The SDK's one error class, with a closed set of codes that callers `switch` on. */

/**
 * - `INVALID_OPTIONS`: `createClient` was given bad options (thrown).
 * - `INVALID_INPUT`: a bad argument; thrown by setters, reported (and the call dropped) by `track`/`identify`.
 * - `REJECTED`: the server refused events (400/401/403, an item rejected, or one event too large); they are dropped.
 * - `QUEUE_OVERFLOW`: the queue was full and its oldest event was dropped.
 * - `TOKEN_REFRESH_FAILED`: refreshing the identity token failed repeatedly; the user's events wait for `setIdentity`.
 */
export type TesseraErrorCode =
  'INVALID_OPTIONS' | 'INVALID_INPUT' | 'REJECTED' | 'QUEUE_OVERFLOW' | 'TOKEN_REFRESH_FAILED';

/**
 * An error from the Tessera SDK.
 * @example
 *   createClient({ ..., onError: (e) => { if (e.code === 'REJECTED') console.warn(e.status, e.serverCode, e.message) } });
 */
export class TesseraError extends Error {
  /** What went wrong; see TesseraErrorCode. */
  declare readonly code: TesseraErrorCode;
  /** Events lost with this error. */
  declare readonly dropped: number;
  /** HTTP status, for `REJECTED`. */
  declare readonly status?: number;
  /** The server's error code (`INVALID_INPUT`, `UNAUTHORIZED`, …), for `REJECTED`. */
  declare readonly serverCode?: string;

  constructor(
    code: TesseraErrorCode,
    message: string,
    details: { dropped?: number; status?: number; serverCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    // Plain assignments rather than class fields: no helper code in the browser bundle.
    Object.assign(this, { name: 'TesseraError', code, dropped: 0, ...details });
  }
}
