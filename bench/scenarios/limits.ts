/**
 * P8: what request rate limits and Prometheus metrics cost. P1's workload (visitor `trackEvent`,
 * c=50) against a server started with both off (`TESSERA_RATE_LIMIT=off`, `TESSERA_METRICS=off`)
 * and one started with both on (limits high enough never to refuse), in interleaved rounds — off,
 * on, off, on, … — each run on a freshly started server on a settled database, so that the
 * machine's drift falls on both sides alike. The round with the median on ÷ off ratio is reported,
 * with the server's CPU per request on both sides (a steadier figure than the throughput).
 */
import { settle } from '../lib/database.ts';
import { medianBy } from '../lib/median.ts';
import { startTessera, type ServerFeatures } from '../lib/tessera.ts';
import type { ScenarioContext } from './context.ts';
import { measureVisitorTrack } from './track.ts';

export type LimitsRun = Awaited<ReturnType<typeof measureVisitorTrack>>;

/** One round: P1's workload with the features off, then on. */
export interface LimitsRound {
  off: LimitsRun;
  on: LimitsRun;
}

/** On ÷ off req/s of a round. */
export const limitsRatio = (round: LimitsRound): number => round.on.rps / round.off.rps;

/** Extra server CPU per request with the features on, in µs (negative: less). */
export const limitsCpuDelta = (round: LimitsRound): number =>
  round.on.serverCpuUsPerRequest - round.off.serverCpuUsPerRequest;

/**
 * @param url the bench database (no other server may hold it on PGlite).
 * @example const rounds = await measureLimits(ctx, bench.url); const shown = medianBy(rounds, limitsRatio);
 */
export async function measureLimits(ctx: ScenarioContext, url: string): Promise<LimitsRound[]> {
  const rounds: LimitsRound[] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  for (let i = 1; i <= ctx.config.rounds; i++) {
    const of = ctx.config.rounds > 1 ? ` (round ${i} of ${ctx.config.rounds})` : '';
    const run = async (features: ServerFeatures): Promise<LimitsRun> => {
      await settle(url); // before the server starts: on PGlite it opens the data directory itself
      const server = await startTessera(ctx.config, url, features);
      try {
        ctx.log(`P8 trackEvent, visitor, rate limits and metrics ${features}${of} …`);
        const result = await measureVisitorTrack(ctx, server);
        ctx.log(
          `  P8 ${features}: ${fmt(result.rps)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, ` +
            `p99 ${result.latencyMs.p99.toFixed(2)} ms; server CPU ${result.serverCpuUsPerRequest.toFixed(1)} µs/request`,
        );
        return result;
      } finally {
        await server.stop();
      }
    };
    const off = await run('off');
    const on = await run('on');
    const round = { off, on };
    ctx.log(
      `  P8: on ÷ off ${limitsRatio(round).toFixed(3)}×; server CPU ${limitsCpuDelta(round) >= 0 ? '+' : ''}` +
        `${limitsCpuDelta(round).toFixed(1)} µs/request with them on`,
    );
    rounds.push(round);
  }
  return rounds;
}

/** The round whose ratio is the median. */
export const medianLimitsRound = (rounds: readonly LimitsRound[]): LimitsRound => medianBy(rounds, limitsRatio);
