/**
 * A real Tessera server (listening on 127.0.0.1), a page server on another port (so every call
 * is cross-origin and CORS is exercised) that serves the IIFE build, and headless Chromium.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { TesseraClient } from '@tessera/sdk-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../../tests/helpers/chromium.ts';
import { readAccount, type StoredAccount } from '../../../../tests/helpers/stored-account.ts';
import { startTestServer, type TestServer } from '../../../server/test/helpers/server.ts';
import { build } from 'esbuild';
import { iifeOptions } from '../../scripts/build.mjs';

export interface BrowserEnv {
  server: TestServer;
  browser: Browser;
  /** Origin of the Tessera server, e.g. `http://127.0.0.1:41234`. */
  baseUri: string;
  /** Origin of the page server. */
  pageOrigin: string;
  publicKey: string;
  /** A URL of the test page whose inline script creates `window.tessera` with these options. */
  pageUrl(options?: PageOptions): string;
  /** An identity token for `uid`, signed with the production private key. */
  token(uid: string, expiresInSeconds?: number): string;
  close(): Promise<void>;
}

/** Client options the page passes to `Tessera.createClient` (plus `provider`: use `window.provideToken`). */
export type PageOptions = Record<string, unknown> & { provider?: boolean };

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script src="/tessera.iife.js"></script>
<script>
  const options = JSON.parse(new URLSearchParams(location.search).get('options') || '{}');
  window.errors = [];
  window.tokenRequests = 0;
  window.tessera = Tessera.createClient({
    ...options,
    onError: (e) => errors.push({ code: e.code, status: e.status, message: e.message }),
    identityTokenProvider: options.provider ? () => (tokenRequests++, window.provideToken()) : undefined,
  });
</script></head><body>Tessera test page</body></html>`;

export async function startBrowserEnv(): Promise<BrowserEnv> {
  const iife = await build({ ...iifeOptions, write: false });
  const script = iife.outputFiles?.[0]?.text ?? '';
  const server = await startTestServer();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUri = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

  const pages: Server = createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/tessera.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

  const browser = await launchChromium();
  const { publicKey, privateKey } = server.production;
  return {
    server,
    browser,
    baseUri,
    pageOrigin,
    publicKey,
    pageUrl: (options = {}) =>
      `${pageOrigin}/?options=${encodeURIComponent(JSON.stringify({ publicKey, baseUri, flushInterval: 100, ...options }))}`,
    token: (uid, expiresInSeconds = 3600) =>
      jwt.sign({ kind: 'USER', uid, exp: Math.floor(Date.now() / 1000) + expiresInSeconds }, privateKey),
    async close() {
      await browser.close();
      await new Promise((resolve) => pages.close(resolve));
      await server.close();
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`, { cause: last });
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An account (by `uid=` or `anonymousUid=` query) with its timeline, through the admin API. */
export const account = (env: BrowserEnv, query: string): Promise<StoredAccount | undefined> =>
  readAccount((method, path) => env.server.admin(method, path), 'production', query);

/** Waits until the account has at least `count` events, and returns it. */
export const accountWithEvents = (env: BrowserEnv, query: string, count: number) =>
  eventually(async () => {
    const found = await account(env, query);
    return found && found.events.length >= count && found;
  });

/** Records the `/v1/batch` bodies a page sends (fetch and beacon alike). */
export function recordBatches(page: Page | BrowserContext): { messageIds: () => string[]; requests: number } {
  const bodies: { batch: { messageId: string }[] }[] = [];
  const recorder = {
    messageIds: () => bodies.flatMap((b) => b.batch.map((i) => i.messageId)),
    requests: 0,
  };
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/v1/batch')) return;
    recorder.requests++;
    bodies.push(JSON.parse(request.postData() ?? '{"batch":[]}'));
  });
  return recorder;
}

declare global {
  interface Window {
    tessera: TesseraClient;
    errors: { code: string; status?: number; message: string }[];
    tokenRequests: number;
    provideToken(): Promise<string>;
  }
}
