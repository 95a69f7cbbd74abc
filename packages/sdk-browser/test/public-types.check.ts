// Compile-time checks of the public API, type-checked by `tsc -p packages/sdk-browser/test` (never run).
import {
  createClient,
  isTesseraError,
  TesseraError,
  type FlushResult,
  type RejectedEvent,
  type TesseraClient,
  type TesseraErrorCode,
} from '../src/index.ts';

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
      case 'INVALID_INPUT':
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
      case 'ORIGIN_NOT_ALLOWED':
      case 'NOT_FOUND':
      case 'CONFLICT':
      case 'PAYLOAD_TOO_LARGE':
      case 'RATE_LIMITED':
      case 'UNAVAILABLE':
      case 'NOT_SUPPORTED':
      case 'INTERNAL':
      case 'CONFIGURATION':
      case 'NETWORK':
      case 'UNEXPECTED_RESPONSE':
      case 'QUEUE_FULL':
      case 'SHUT_DOWN':
      case 'TOKEN_REFRESH_FAILED':
        return e instanceof TesseraError && isTesseraError(e) && e.dropped >= 0;
      default: {
        // Exhaustive: a code added to TesseraErrorCode without a case here fails to compile.
        const never: never = code;
        return never;
      }
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
void client.flush().then((r: FlushResult) => {
  const firstRefused: RejectedEvent | undefined = r.rejected[0];
  return r.kind === 'done' && r.delivered + r.dropped >= 0 && firstRefused?.code !== 'NETWORK';
});
// @ts-expect-error a code that no SDK raises
const notACode: TesseraErrorCode = 'REJECTED';
void notACode;

// @ts-expect-error event data is JSON: no Dates, functions or undefined-only values
client.track('Clicked', { when: new Date() });
// @ts-expect-error persistence is localStorage, cookie or memory
createClient({ publicKey: 'pk_…', baseUri: 'https://x.example', persistence: 'indexedDB' });
// @ts-expect-error publicKey is required
createClient({ baseUri: 'https://x.example' });
// @ts-expect-error identity is read-only: use setAnonymousIdentity
client.anonymousUid = anon;

export { uid };
