/**
 * B0, B3, B4, B5: the database baselines, each in its own process pinned to the server's core
 * (bench/baselines/child.ts), run while no Tessera server is up. Then the database is settled
 * (VACUUM, CHECKPOINT), so that the rows a baseline wrote leave no work behind for the next run.
 */
import { runDatabaseBaselines } from '../baselines/index.ts';
import { settle } from '../lib/database.ts';
import type { LoopResult } from '../lib/loop.ts';
import { quietly, type Noise, type ScenarioContext } from './context.ts';

export type BaselineMeasured = LoopResult & Noise & { rowsPerSecond?: number };

async function measure(ctx: ScenarioContext, url: string, id: 'B0' | 'B3' | 'B4' | 'B5'): Promise<BaselineMeasured> {
  const measured = await quietly(ctx, async () => {
    const result = (await runDatabaseBaselines(ctx.config, url, ctx.seeded, [id]))[id];
    if (!result) throw new Error(`${id} gave no result`);
    return result;
  });
  await settle(url);
  return measured;
}

/** B3: rows per second are `perSecond × 100`, also given as `rowsPerSecond`. */
export async function measureCopy(
  ctx: ScenarioContext,
  url: string,
): Promise<BaselineMeasured & { rowsPerSecond: number }> {
  const result = await measure(ctx, url, 'B3');
  return { ...result, rowsPerSecond: result.rowsPerSecond ?? 0 };
}

/** B0: durable commit latency, one client (context for P1–P3). */
export const measureCommitLatency = (ctx: ScenarioContext, url: string) => measure(ctx, url, 'B0');

/** B4. */
export const measureUpsert = (ctx: ScenarioContext, url: string) => measure(ctx, url, 'B4');

/** B5. */
export const measureTimelineQuery = (ctx: ScenarioContext, url: string) => measure(ctx, url, 'B5');
