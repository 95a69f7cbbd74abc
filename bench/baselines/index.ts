/** Starts the baselines in their own processes, pinned to the server's core like the server itself. */
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from '../config.ts';
import { run, startPinned, type Started } from '../lib/processes.ts';
import type { Seeded } from '../lib/seed.ts';
import type { BaselineRequest, BaselineResults } from './child.ts';

const tsx = ['--import', 'tsx'];
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * B1's server (bench/baselines/bare-fastify.ts); resolves once it listens.
 * @example const bare = await startBareFastify(config); bare.ready // http://127.0.0.1:…
 */
export function startBareFastify(config: BenchConfig): Promise<Started> {
  return startPinned({
    name: 'bare Fastify',
    core: config.serverCore,
    command: process.execPath,
    args: [...tsx, script('./bare-fastify.ts')],
    ready: /Bare Fastify listening on (http:\/\/\S+)/,
  });
}

/**
 * Runs B3/B4/B5 in one pinned process (bench/baselines/child.ts) against the bench database.
 * On PGlite the server must not be running: the baselines open its data directory themselves.
 */
export async function runDatabaseBaselines(
  config: BenchConfig,
  databaseUrl: string,
  seeded: Seeded,
  ids: BaselineRequest['run'],
): Promise<BaselineResults> {
  if (ids.length === 0) return {};
  const request: BaselineRequest = {
    databaseUrl,
    environmentId: seeded.environment.id,
    timelineAccountId: seeded.timelineAccountId,
    warmupSeconds: config.warmupSeconds,
    durationSeconds: config.durationSeconds,
    run: ids,
  };
  const result = await run(process.execPath, [...tsx, script('./child.ts'), JSON.stringify(request)], {
    core: config.serverCore,
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith('BASELINE_RESULT '));
  if (result.code !== 0 || !line) throw new Error(`database baselines failed (exit ${result.code}):\n${result.stderr}`);
  return JSON.parse(line.slice('BASELINE_RESULT '.length)) as BaselineResults;
}
