/**
 * How CLI commands reach the admin API: over HTTP to the server that holds the embedded database,
 * or through `app.inject()` into a server built inside this process. Either way every change
 * passes the same routes, schemas and services.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, TesseraError } from '../errors.ts';
import type { ControlFile } from '../storage/control-file.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AdminClient {
  /** The running server the commands go through; undefined when they run in this process. */
  readonly remote: ControlFile | undefined;
  /**
   * Calls `/admin/api<path>` and returns the JSON answer.
   * @throws TesseraError with the server's code and message for an error answer.
   * @example const { environments } = await client.call<{ environments: unknown[] }>('GET', '/environments');
   */
  call<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/** Path segments are user input (`keys revoke <publicKey>`): always encode them. */
export const segment = encodeURIComponent;

/** A client for the server named by a control file. */
export function httpClient(control: ControlFile, dataDir: string): AdminClient {
  return {
    remote: control,
    async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${control.url}/admin/api${path}`, {
          method,
          headers: {
            authorization: `Bearer ${control.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new TesseraError(
          ErrorCode.UNAVAILABLE,
          `Cannot reach the Tessera server at ${control.url} (pid ${control.pid}) that holds the embedded database ` +
            `${dataDir} (${cause}): retry, or stop that server and run the command again`,
          { cause: err },
        );
      }
      return answer<T>(res.status, await res.text());
    },
  };
}

/** A client for a server built in this process: no socket, the same routes (under `basePath`). */
export function injectClient(app: FastifyInstance, token: string, basePath = ''): AdminClient {
  return {
    remote: undefined,
    async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
      const res = await app.inject({
        method,
        url: `${basePath}/admin/api${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return answer<T>(res.statusCode, res.body);
    },
  };
}

function answer<T>(status: number, text: string): T {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300) return json as T;
  const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = error?.code !== undefined && error.code in ErrorCode ? (error.code as ErrorCode) : ErrorCode.INTERNAL;
  throw new TesseraError(code, error?.message ?? `The server answered ${status}`);
}
