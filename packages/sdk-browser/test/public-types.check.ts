// Compile-time checks of the public API, type-checked by `tsc -p packages/sdk-browser/test` (never run).
import { createClient, TesseraError, type TesseraClient, type TesseraErrorCode } from '../src/index.ts';

const client: TesseraClient = createClient({
  publicKey: 'pk_…',
  baseUri: 'https://tessera.example.com',
  targetEnvironment: 'production',
  persistence: 'cookie',
  cookieDomain: '.example.com',
  flushAt: 10,
  identityTokenProvider: async () => 'a.b.c',
  onError: (e) => {
    const code: TesseraErrorCode = e.code;
    switch (code) {
      case 'INVALID_OPTIONS':
      case 'INVALID_INPUT':
      case 'REJECTED':
      case 'QUEUE_OVERFLOW':
      case 'TOKEN_REFRESH_FAILED':
        return e instanceof TesseraError && e.dropped >= 0;
    }
  },
});

client.identify({ email: 'a@example.com', plan: 'pro' });
client.identify('user-1', { name: 'Ada', firstName: null });
client.track('Clicked', { button: 'buy', nested: { list: [1, 'two', true, null] } });
client.setIdentity('user-1', 'a.b.c');
client.setIdentity(null, null);
const anon: string = client.anonymousUid;
const uid: string | null = client.uid;
void client.flush().then((r) => r.kind === 'done' || r.kind === 'retry-later' || r.kind === 'paused');

// @ts-expect-error event data is JSON: no Dates, functions or undefined-only values
client.track('Clicked', { when: new Date() });
// @ts-expect-error persistence is localStorage, cookie or memory
createClient({ publicKey: 'pk_…', baseUri: 'https://x.example', persistence: 'indexedDB' });
// @ts-expect-error publicKey is required
createClient({ baseUri: 'https://x.example' });
// @ts-expect-error identity is read-only: use setAnonymousIdentity
client.anonymousUid = anon;

export { uid };
