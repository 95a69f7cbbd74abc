/**
 * @tessera/react-native: Tessera for React Native apps, with the same API as `@tessera/browser`.
 * State lives in AsyncStorage (an optional peer dependency); the queue is flushed when the app
 * goes to the background.
 * @example
 *   import AsyncStorage from '@react-native-async-storage/async-storage';
 *   import { createClient } from '@tessera/react-native';
 *   const tessera = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com', storage: AsyncStorage });
 *   tessera.track('Opened App');
 */
import type { TesseraClient } from '@tessera/sdk-core';
import { AppState, Platform } from 'react-native';
import { createReactNativeClient, type AsyncStorageLike, type ReactNativeClientOptions } from './client.ts';

declare const require: (id: string) => unknown;

/** AsyncStorage when the app has it installed (Metro treats a require inside try/catch as optional). */
function installedAsyncStorage(): AsyncStorageLike | undefined {
  try {
    const mod = require('@react-native-async-storage/async-storage') as { default?: AsyncStorageLike };
    return mod.default ?? (mod as AsyncStorageLike);
  } catch {
    return undefined;
  }
}

/**
 * Creates the client. Pass `storage`, or install `@react-native-async-storage/async-storage`;
 * without either, nothing survives an app restart.
 * @example
 *   const tessera = createClient({
 *     publicKey: 'pk_…',
 *     baseUri: 'https://tessera.example.com',
 *     identityTokenProvider: () => api.get('/tessera-token').then((r) => r.data.token),
 *   });
 */
export function createClient(options: ReactNativeClientOptions): TesseraClient {
  const storage = options.storage ?? installedAsyncStorage();
  if (!storage) console.warn('@tessera/react-native: no AsyncStorage; identity and queue live in memory only');
  return createReactNativeClient(
    { ...options, storage },
    { appState: AppState, os: { name: Platform.OS, version: Platform.Version } },
  );
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
export type { AsyncStorageLike, ReactNativeClientOptions } from './client.ts';
