/** Shared plumbing of the one-shot CLI commands: open the database, run, print, close. */
import { loadConfig } from '../config.ts';
import { createServices, type Services } from '../services/index.ts';
import type { Database } from '../storage/database.ts';
import { openDatabase } from '../storage/open.ts';

export interface CommonOptions {
  databaseUrl?: string;
  json?: boolean;
}

export async function withServices<T>(
  opts: CommonOptions,
  fn: (ctx: Services & { db: Database }) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ databaseUrl: opts.databaseUrl });
  const db = await openDatabase(config.databaseUrl);
  try {
    return await fn({ ...createServices(db), db });
  } finally {
    await db.close();
  }
}

/** Prints JSON with `--json`, else the human-friendly text. */
export function print(opts: CommonOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
