/** Test helpers: a real Tessera server listening on a free port, clients for it, and a faulty proxy. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../../server/test/helpers/server.ts';
import { createClient, type ClientOptions, type TesseraClient, type TesseraError } from '../src/index.ts';

export interface ListeningServer {
  server: TestServer;
  url: string;
}

/** A real server on a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
export async function startServer(): Promise<ListeningServer> {
  const server = await startTestServer();
  return { server, url: await server.listen() };
}

/** Reported losses, and a client that reports into them. No environment variables are read. */
export function clientFor(
  { server, url }: ListeningServer,
  options: ClientOptions = {},
): { client: TesseraClient; errors: Array<{ error: TesseraError; messageIds: string[] }> } {
  const errors: Array<{ error: TesseraError; messageIds: string[] }> = [];
  const client = createClient(
    {
      baseUri: url,
      publicKey: server.production.publicKey,
      privateKey: server.production.privateKey,
      onError: (error, lost) => errors.push({ error, messageIds: lost.messageIds }),
      ...options,
    },
    { env: {} },
  );
  return { client, errors };
}

/** A debug logger whose lines can be awaited: `await log.next(/POST \/v1\/batch.*→ 200/)`. */
export function debugLog() {
  const lines: string[] = [];
  const waiting: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
      for (const w of [...waiting]) {
        if (w.pattern.test(line)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
      }
    },
    /** The next line (from now on) that matches. */
    next(pattern: RegExp): Promise<string> {
      return new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
  };
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * What the proxy does with the n-th request (0-based): pass it on; pass it on but answer 503
 * anyway (a response lost after the server committed); answer itself; cut the connection; or
 * never answer.
 */
export type ProxyAction =
  'pass' | 'lose-response' | 'reset' | 'hang' | { status: number; headers?: Record<string, string>; body?: unknown };

export interface FaultyProxy {
  url: string;
  /** Every request that reached the proxy, in order. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A node:http proxy in front of `target` that misbehaves as `plan` says. */
export async function startFaultyProxy(
  target: string,
  plan: (request: SeenRequest, n: number) => ProxyAction,
): Promise<FaultyProxy> {
  const requests: SeenRequest[] = [];
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
      requests.push(seen);
      const action = plan(seen, requests.length - 1);
      void respond(action, seen, text, res).catch(() => res.destroy());
    });
  });
  const respond = async (action: ProxyAction, seen: SeenRequest, text: string, res: http.ServerResponse) => {
    if (action === 'reset') return void res.socket?.destroy();
    if (action === 'hang') return;
    if (typeof action === 'object') {
      res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
      return void res.end(action.body === undefined ? '' : JSON.stringify(action.body));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(seen.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    }
    const upstream = await fetch(new URL(seen.path, target), {
      method: seen.method,
      headers,
      ...(text === '' ? {} : { body: text }),
    });
    const body = await upstream.text();
    if (action === 'lose-response') {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
      return void res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'lost on the way back' } }));
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  };
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
