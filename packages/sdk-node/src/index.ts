/**
 * @tessera/node — Tessera for Node backends.
 * @example
 * import { createClient } from '@tessera/node';
 * const tessera = createClient(); // TESSERA_* or DASHX_* environment variables
 * await tessera.identify('user-123', { email: 'ada@example.com' });
 * tessera.track('Signed Up', 'user-123', { plan: 'pro' });
 * const token = tessera.generateIdentityToken('user-123');
 * await tessera.shutdown();
 */
export { createClient, TesseraClient } from './client.ts';
export { ClientErrorCode, ErrorCode } from '@tessera/protocol';
export { isTesseraError, TesseraError } from '@tessera/sdk-core';
export type { FlushResult, RejectedEvent, TesseraErrorCode, TesseraErrorOptions } from '@tessera/sdk-core';
export type { ClientOptions, ClientPorts, LostEvents } from './options.ts';
export { lifetimeSeconds } from './token.ts';
export type * from './types.ts';
export { VERSION } from './version.ts';
