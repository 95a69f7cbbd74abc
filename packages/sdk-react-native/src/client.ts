/**
 * The React Native client, with its ports passed in (AppState, storage, fetch) so that tests can
 * drive it without a device. `index.ts` wires the real ones.
 */
import {
  createClient as createCoreClient,
  uuidv4,
  type ClientOptions,
  type JsonObject,
  type Store,
  type TesseraClient,
  type Transport,
} from '@tessera/sdk-core';
import type { AppState, AppStateStatus } from 'react-native';

declare const __VERSION__: string | undefined;

/** What the SDK needs of `@react-native-async-storage/async-storage` (or any store shaped like it). */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** Options of the React Native client: the core's, plus where to keep state. */
export interface ReactNativeClientOptions extends ClientOptions {
  /** Where the queue and identity live. Default: `@react-native-async-storage/async-storage` when installed, else memory (nothing survives a restart). */
  storage?: AsyncStorageLike;
}

/** The platform pieces the client runs on. */
export interface ReactNativeDeps {
  appState: Pick<typeof AppState, 'addEventListener'>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** `Platform.OS` and `Platform.Version`, sent in each event's context. */
  os?: { name: string; version: string | number };
}

/** Global functions Hermes may or may not have, depending on the React Native version and polyfills. */
interface MaybeGlobals {
  atob?: (s: string) => string;
  crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint32Array) => Uint32Array };
}

/** A UUID v4 from the best source there is: `randomUUID`, `getRandomValues` (react-native-get-random-values), else Math.random. */
export function uuid(): string {
  const crypto = (globalThis as MaybeGlobals).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  const values = crypto?.getRandomValues;
  return uuidv4(values ? () => values.call(crypto, new Uint32Array(1))[0]! / 2 ** 32 : Math.random);
}

/** An in-memory store, when no AsyncStorage is available. */
export function memoryStorage(): AsyncStorageLike {
  const map = new Map<string, string>();
  return {
    getItem: async (key) => map.get(key) ?? null,
    setItem: async (key, value) => void map.set(key, value),
    removeItem: async (key) => void map.delete(key),
  };
}

/**
 * The core's Store port over AsyncStorage (or anything shaped like it).
 * @example createTestClient({}, createFakePlatform({ store: asyncStore(AsyncStorage) }))
 */
export function asyncStore(storage: AsyncStorageLike): Store {
  return {
    get: (key) => storage.getItem(key),
    set: (key, value) => storage.setItem(key, value),
    remove: (key) => storage.removeItem(key),
  };
}

/**
 * Creates the client on explicit ports.
 * @example
 *   const client = createReactNativeClient({ publicKey, baseUri, storage: AsyncStorage }, { appState: AppState });
 */
export function createReactNativeClient(options: ReactNativeClientOptions, deps: ReactNativeDeps): TesseraClient {
  const store = asyncStore(options.storage ?? memoryStorage());
  const send = deps.fetch ?? fetch;
  const transport: Transport = {
    async send({ url, body, headers }) {
      const res = await send(url, { method: 'POST', headers, body });
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        // No JSON body: the status says enough.
      }
      return { status: res.status, retryAfter: res.headers.get('Retry-After'), body: json };
    },
  };
  const atob = (globalThis as MaybeGlobals).atob;
  const client = createCoreClient(options, {
    transport,
    store,
    clock: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      // Only a real handle: some JS hosts (Hermes's own timers) throw on clearTimeout(undefined).
      clearTimeout: (handle) => handle !== undefined && clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    uuid,
    base64: atob && ((s) => atob(s)),
    context: (): JsonObject => (deps.os ? { os: deps.os } : {}),
    library: { name: '@tessera/react-native', version: typeof __VERSION__ === 'string' ? __VERSION__ : '0.1.0' },
  });
  // Going to the background is the last moment the app can be counted on: send what is queued.
  // Coming back sends what waited (for example while the device was offline).
  deps.appState.addEventListener('change', (state: AppStateStatus) => {
    if (state !== 'unknown') void client.flush();
  });
  return client;
}
