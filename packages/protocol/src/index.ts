/** @tessera/protocol: what travels between Tessera's clients and server. Imports nothing. */
export * from './errors.ts';
export * from './limits.ts';
export * from './records.ts';
export * from './wire.ts';
