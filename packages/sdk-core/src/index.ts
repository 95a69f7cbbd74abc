/**
 * @tessera/sdk-core: the platform-neutral Tessera client. Platform packages (`@tessera/browser`,
 * `@tessera/react-native`) plug in a transport, a store and a clock; nothing here touches a DOM or Node.
 * @example
 *   import { createClient } from '@tessera/sdk-core';
 *   const client = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' }, platform);
 */
export { createClient, StorageKeys } from './client.ts';
export { TesseraError, type TesseraErrorCode } from './errors.ts';
export type {
  ClientOptions,
  Clock,
  FlushResult,
  Instances,
  MaybePromise,
  Network,
  Platform,
  Store,
  TesseraClient,
  Transport,
  TransportRequest,
  TransportResponse,
} from './types.ts';
export { retryAfterMs, tokenExpiry, utf8Length, UUID_V4, uuidv4 } from './util.ts';
export type { JsonObject, JsonValue, Traits } from '@tessera/protocol';
