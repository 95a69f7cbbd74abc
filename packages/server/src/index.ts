/**
 * @tessera/server as a library: start a Tessera server inside your own process — for tests, or
 * to embed it. The `tessera` command (`tessera serve`) is the usual way to run it.
 * @example
 *   import { createServer } from '@tessera/server';
 *   await using server = await createServer({ databaseUrl: 'memory://', port: 0, logger: false });
 *   const url = await server.listen(); // e.g. http://127.0.0.1:39211
 */
import type { FastifyInstance } from 'fastify';
import type { Config, ConfigOverrides } from './config.ts';
import { createServer as createFullServer } from './server.ts';

export { loadConfig, type Config, type ConfigOverrides, type LogLevel } from './config.ts';

/** Options of `createServer`: any setting of `tessera serve` (they win over the environment). */
export interface ServerOptions extends ConfigOverrides {
  /** A ready configuration (from `loadConfig`); when absent it is read from the environment and these options. */
  config?: Config;
  /** Log to stdout (JSON lines). Default: true. */
  logger?: boolean;
}

/** A running Tessera: its HTTP app, its settings, and how to listen and stop. */
export interface TesseraServer {
  /** The Fastify app: `app.inject()` calls it without a socket. */
  readonly app: FastifyInstance;
  readonly config: Config;
  /** Starts listening on `config.host`/`config.port`; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes the database. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Opens the database (migrating it), creates the first environments on an empty one, and builds
 * the app. Nothing listens until `listen()`.
 * @example const server = await createServer({ databaseUrl: 'postgres://tessera@db/tessera' });
 */
export function createServer(options: ServerOptions = {}): Promise<TesseraServer> {
  return createFullServer(options);
}
