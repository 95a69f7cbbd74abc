/**
 * P5: the admin API's timeline of the seeded target user (50 newest of its ≥ 1000 events among
 * 1M), `GET /admin/api/environments/:name/accounts/:id/events?limit=50`, one connection (c=1).
 */
import { ADMIN_TOKEN, type TesseraProcess } from '../lib/tessera.ts';
import type { BaselineMeasured } from './baselines.ts';
import { load, type Measured, type ScenarioContext } from './context.ts';

/** B5 then P5, measured back to back (on PostgreSQL, in `BENCH_ROUNDS` rounds). */
export interface TimelineRound {
  B5: BaselineMeasured;
  P5: Measured;
}

/** P5's ratio: B5's p50 ÷ P5's p50 (both one request at a time). */
export const timelineRatio = (round: TimelineRound): number => round.B5.latencyMs.p50 / round.P5.latencyMs.p50;

export function measureTimeline(ctx: ScenarioContext, server: TesseraProcess): Promise<Measured> {
  const { environment, timelineAccountId } = ctx.seeded;
  return load(ctx, {
    url: server.url,
    method: 'GET',
    path: `/admin/api/environments/${environment.name}/accounts/${timelineAccountId}/events?limit=50`,
    requests: [{ headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, body: '' }],
    expect: '"nextCursor":"',
    connections: 1,
  });
}
