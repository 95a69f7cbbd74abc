/** What a result depends on besides the code: machine, versions, database settings (recorded in the JSON). */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { openDirect } from './database.ts';
import { repoRoot } from './paths.ts';

function packageVersion(name: string): string {
  try {
    const file = join(repoRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * @example machine('4.1.0') // { cpuModel: '…', cpus: 2, node: 'v20…', wrk: '4.1.0', packages: { fastify: '5.12.8', … } }
 */
export function machine(wrkVersion: string) {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    wrk: wrkVersion,
    packages: Object.fromEntries(
      ['fastify', 'graphql', 'pg', '@electric-sql/pglite', 'pg-copy-streams'].map((p) => [p, packageVersion(p)]),
    ),
  };
}

/** The database's version and the settings that decide durability. Opens it directly (server stopped on PGlite). */
export async function databaseSettings(url: string): Promise<Record<string, string>> {
  const db = await openDirect(url, { connections: 1 });
  try {
    const [row] = await db.query<Record<string, string>>(
      `SELECT current_setting('server_version') AS "serverVersion",
              current_setting('synchronous_commit') AS "synchronousCommit",
              current_setting('fsync') AS "fsync",
              current_setting('shared_buffers') AS "sharedBuffers"`,
    );
    return row ?? {};
  } finally {
    await db.close();
  }
}
