// Server-side rendering: importing @tessera/browser touches no browser global, and a client made
// on the server works in memory without throwing.
import { afterEach, expect, it, vi } from 'vitest';

const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'navigator', 'location', 'addEventListener'];

afterEach(() => {
  for (const name of BROWSER_GLOBALS) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d?.get) delete (globalThis as Record<string, unknown>)[name];
  }
});

it('importing it reads no browser global', async () => {
  const touched: string[] = [];
  for (const name of BROWSER_GLOBALS) {
    if (name in globalThis) continue; // Node's own (none of these on Node 20)
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => void touched.push(name),
    });
  }
  vi.resetModules();
  const mod = await import('../src/index.ts');
  expect(typeof mod.createClient).toBe('function');
  expect(touched).toEqual([]);
});

it('createClient on the server keeps everything in memory and never throws', async () => {
  vi.resetModules();
  const { createClient } = await import('../src/index.ts');
  expect(typeof window).toBe('undefined');
  const client = createClient({ publicKey: 'pk_ssr', baseUri: 'http://127.0.0.1:9', flushInterval: 60_000 });
  expect(client.anonymousUid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  client.identify({ email: 'ssr@example.com' });
  client.track('Rendered');
  client.flushOnExit();
  client.close();
});
