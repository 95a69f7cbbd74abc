/** P3: `POST /v1/batch` with 100 track events per request (unique message ids, 1000 visitors), c=50. */
import type { TesseraProcess } from '../lib/tessera.ts';
import type { RequestSpec } from '../lib/wrk.ts';
import { BATCH_SIZE, POOL_SIZE, batchBody, range } from '../workload.ts';
import { load, type Measured, type ScenarioContext } from './context.ts';

/** Rows per second are `rps × BATCH_SIZE`. */
export async function measureBatch(
  ctx: ScenarioContext,
  server: TesseraProcess,
): Promise<Measured & { rowsPerSecond: number }> {
  const timestamp = new Date().toISOString();
  // Ten bodies, each covering a different tenth of the visitor pool.
  const requests: RequestSpec[] = range(POOL_SIZE / BATCH_SIZE).map((i) => ({
    headers: { 'Content-Type': 'application/json', 'X-Public-Key': ctx.seeded.environment.publicKey },
    body: batchBody(i * BATCH_SIZE, timestamp),
  }));
  const result = await load(ctx, {
    url: server.url,
    method: 'POST',
    path: '/v1/batch',
    requests,
    expect: `"accepted":${BATCH_SIZE},"rejected":[]`,
    vary: true,
    watchCommits: true,
  });
  return { ...result, rowsPerSecond: result.rps * BATCH_SIZE };
}
