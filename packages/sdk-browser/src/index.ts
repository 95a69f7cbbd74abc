/**
 * @tessera/browser: Tessera for web pages. One anonymous visitor id per browser, identify/track
 * through a persistent queue, token refresh, and delivery that survives reloads, closed tabs and
 * lost connections. Importing it touches no browser global (server-side rendering is safe).
 * @example
 *   import { createClient } from '@tessera/browser';
 *   const tessera = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' });
 *   tessera.track('Viewed Pricing', { plan: 'pro' });
 */
import { createClient as createCoreClient, type ClientOptions, type TesseraClient } from '@tessera/sdk-core';
import { pageContext, tabInstance, transport, uuid } from './platform.ts';
import { createBrowserStore, type Persistence } from './storage.ts';

declare const __VERSION__: string;

/** Options of the browser client: the core's, plus where to keep state. */
export interface BrowserClientOptions extends ClientOptions {
  /**
   * `localStorage`: queue and identity in localStorage, identity and consent mirrored in cookies.
   * `cookie`: identity and consent in cookies only; the queue in memory. `memory`: nothing kept.
   * Default: `localStorage` (falls back to `cookie` when localStorage is blocked).
   */
  persistence?: Persistence;
  /** Domain of the cookies, e.g. `.example.com` to share the visitor across subdomains. Default: this host only. */
  cookieDomain?: string;
}

/**
 * Creates the client. On a server (no `window`) it keeps everything in memory and needs no DOM.
 * @example
 *   const tessera = createClient({
 *     publicKey: 'pk_…',
 *     baseUri: 'https://tessera.example.com',
 *     identityTokenProvider: () => fetch('/api/tessera-token').then((r) => r.text()),
 *   });
 */
export function createClient(options: BrowserClientOptions): TesseraClient {
  const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';
  const client = createCoreClient(options, {
    transport,
    store: createBrowserStore(inBrowser ? (options.persistence ?? 'localStorage') : 'memory', options.cookieDomain),
    clock: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as number),
    },
    network: inBrowser
      ? { online: () => navigator.onLine !== false, onOnline: (fn) => addEventListener('online', fn) }
      : undefined,
    instances: inBrowser ? tabInstance() : undefined,
    uuid,
    base64: (s) => atob(s),
    context: inBrowser ? pageContext : undefined,
    library: { name: '@tessera/browser', version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0' },
  });
  if (inBrowser) {
    // The last moment a page can be relied on: hidden (tab switch, app switch, close) and pagehide.
    const exit = () => client.flushOnExit();
    addEventListener('pagehide', exit);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && exit());
  }
  return client;
}

export { isTesseraError, TesseraError } from '@tessera/sdk-core';
export type {
  ClientOptions,
  FlushResult,
  JsonObject,
  RejectedEvent,
  TesseraClient,
  TesseraErrorCode,
  Traits,
} from '@tessera/sdk-core';
export type { Persistence } from './storage.ts';
