/** The Tessera server under test: `tessera serve` as its own process, pinned to the server core. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from '../config.ts';
import { resultsDir, serverDir, tesseraBin } from './paths.ts';
import { startPinned, type Started } from './processes.ts';

/** Bearer token of the admin API in the bench (P5 reads through it). */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/**
 * The request rate limits and Prometheus metrics the server runs with. `on`: both on, as they are
 * by default in production, with limits so high that the bench is never refused (the defaults,
 * 1000 requests a second per public key and 50 admin requests a second, would refuse most of P1
 * and P5); `off`: `TESSERA_RATE_LIMIT=off`, `TESSERA_METRICS=off`. P1–P5 run with `on`; P8
 * compares the two.
 */
export type ServerFeatures = 'on' | 'off';

/** A limit (requests a second) no bench run comes near. */
const UNREACHED_LIMIT = '10000000';

/** The environment settings of each feature set (set explicitly, whatever the bench's own environment says). */
export const featureSettings: Record<ServerFeatures, Record<string, string>> = {
  on: {
    TESSERA_RATE_LIMIT: 'on',
    TESSERA_RATE_LIMIT_PER_KEY: UNREACHED_LIMIT,
    TESSERA_RATE_LIMIT_PER_IP: UNREACHED_LIMIT,
    TESSERA_RATE_LIMIT_ADMIN: UNREACHED_LIMIT,
    TESSERA_METRICS: 'on',
  },
  off: { TESSERA_RATE_LIMIT: 'off', TESSERA_METRICS: 'off' },
};

export interface TesseraProcess extends Started {
  /** Base URL from the banner, e.g. http://127.0.0.1:39713. */
  url: string;
  /** With `BENCH_CPU_PROF=1`: the CPU profiles written when the server stopped. */
  profiles: string[];
}

/** Builds the server as it is deployed (packages/server/scripts/build.mjs), so that the bench measures that. */
export function buildServer(log: (line: string) => void): void {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: serverDir,
    encoding: 'utf8',
    env: { ...process.env, TESSERA_BUILD_TYPES: '0' },
  });
  if (result.status !== 0) throw new Error(`building the server failed:\n${result.stderr}`);
  log(result.stdout.trim());
}

/**
 * Starts `node packages/server/bin/tessera.js serve --port 0 --database-url … --log-level warn`
 * and waits for its banner (`Tessera listening on http://…`).
 * @example const server = await startTessera(config, bench.url); …; await server.stop();
 */
export async function startTessera(
  config: BenchConfig,
  databaseUrl: string,
  features: ServerFeatures = 'on',
): Promise<TesseraProcess> {
  const nodeArgs: string[] = [];
  // Node writes the profiles on exit, one per thread.
  const profileDir = config.cpuProfile ? mkdtempSync(join(tmpdir(), 'tessera-bench-prof-')) : undefined;
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  const started = await startPinned({
    name: 'tessera serve',
    core: config.serverCore,
    command: process.execPath,
    args: [...nodeArgs, tesseraBin, 'serve', '--port', '0', '--database-url', databaseUrl, '--log-level', 'warn'],
    env: { ...process.env, ...featureSettings[features], TESSERA_ADMIN_TOKEN: ADMIN_TOKEN },
    ready: /Tessera listening on (http:\/\/\S+)/,
  });
  const profiles: string[] = [];
  return {
    ...started,
    url: started.ready,
    profiles,
    async stop() {
      await started.stop();
      if (!profileDir) return;
      // Into bench/results as *.json, which git ignores: `<time>-<thread>.cpuprofile.json`.
      mkdirSync(resultsDir, { recursive: true });
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '');
      for (const [i, file] of readdirSync(profileDir).sort().entries()) {
        const target = join(resultsDir, `server-${stamp}-${i}.cpuprofile.json`);
        renameSync(join(profileDir, file), target);
        profiles.push(target);
      }
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
