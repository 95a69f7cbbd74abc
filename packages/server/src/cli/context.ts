/**
 * Shared plumbing of the one-shot CLI commands: reach the admin API, run, print, close. A server
 * holding the embedded database gets the command over HTTP (its control file says where);
 * otherwise the command builds the server in this process and calls it through `inject()`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig, type Config } from '../config.ts';
import { ErrorCode, TesseraError } from '../errors.ts';
import { createServer } from '../server.ts';
import { httpClient, injectClient, type AdminClient } from './admin-client.ts';
import { holderOf } from './running-server.ts';

export interface CommonOptions {
  databaseUrl?: string;
  json?: boolean;
}

/** How long a command waits for a process that holds the embedded database without serving it. */
const BUSY_WAIT_MS = 15_000;
const POLL_MS = 200;

/**
 * Runs `fn` against the admin API of this installation.
 * @example await withAdmin(opts, (admin) => admin.call('GET', '/operators'));
 */
export async function withAdmin<T>(opts: CommonOptions, fn: (admin: AdminClient) => Promise<T>): Promise<T> {
  const config = loadConfig({ databaseUrl: opts.databaseUrl });
  const dataDir = config.databaseUrl.startsWith('pglite://') ? config.databaseUrl.slice('pglite://'.length) : '';
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const holder = dataDir === '' ? { kind: 'free' as const } : holderOf(dataDir);
    if (holder.kind === 'server') return fn(httpClient(holder.control, dataDir));
    if (holder.kind === 'busy') {
      // Another command, or a server that has the lock but does not listen yet: both are brief.
      if (Date.now() > deadline) {
        throw new TesseraError(
          ErrorCode.CONFLICT,
          `The embedded database ${dataDir} is in use by another Tessera process (pid ${holder.pid}) that does ` +
            'not accept commands: wait for it to finish or stop it, or use PostgreSQL (DATABASE_URL) for several processes',
        );
      }
      await delay(POLL_MS);
      continue;
    }
    const server = await openInProcess(config, dataDir);
    if (server === undefined) continue; // someone took the lock first: ask again who holds it
    try {
      return await fn(injectClient(server.app, server.localToken, config.basePath));
    } finally {
      await server.close();
    }
  }
}

async function openInProcess(config: Config, dataDir: string) {
  try {
    // No first-start environments: only `tessera serve` (which prints their keys) makes them.
    return await createServer({ config, logDestination: 'stderr', bootstrap: false });
  } catch (err) {
    const lost = err instanceof TesseraError && err.code === ErrorCode.CONFLICT && dataDir !== '';
    if (lost && holderOf(dataDir).kind !== 'free') return undefined;
    throw err;
  }
}

/** Prints JSON with `--json`, else the human-friendly text. */
export function print(opts: CommonOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
