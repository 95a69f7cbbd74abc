/**
 * @tessera/sdk-core: the platform-neutral Tessera client. Platform packages (`@tessera/browser`,
 * `@tessera/react-native`) plug in a transport, a store and a clock; nothing here touches a DOM or Node.
 * @example
 *   import { createClient } from '@tessera/sdk-core';
 *   const client = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' }, platform);
 */
export { createClient, StorageKeys } from './client.ts';
export { isTesseraError, TesseraError, type TesseraErrorCode, type TesseraErrorOptions } from './errors.ts';
export { BASE_DELAY_MS, backoffMs, isRetryableStatus, MAX_DELAY_MS, retryAfterMs } from './retry.ts';
export type {
  ClientOptions,
  Clock,
  FlushResult,
  Instances,
  MaybePromise,
  Network,
  Platform,
  RejectedEvent,
  Store,
  TesseraClient,
  Transport,
  TransportRequest,
  TransportResponse,
} from './types.ts';
export { tokenExpiry, utf8Length, UUID_V4, uuidv4 } from './util.ts';
export type { JsonObject, JsonValue, Traits } from '@tessera/protocol';
