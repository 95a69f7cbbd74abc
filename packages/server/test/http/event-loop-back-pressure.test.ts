// Back-pressure on event-loop lag, end to end: while the server's loop stays behind (here, the
// test keeps it busy, as a CPU-bound flood would), new ingest is answered 503 UNAVAILABLE with
// Retry-After before it does anything, /readyz says why, health checks are still answered, and
// ingest is taken again once the loop catches up. The lag sampling and the admission rule are
// unit-tested in util/event-loop-lag.test.ts and services/load-shedder.test.ts.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Keeps the loop busy for `ms` without yielding. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** Keeps the loop behind for about `ms`: 250 ms stalls with only a moment between them. */
async function keepBehind(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    block(250);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('back-pressure on event-loop lag', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxEventLoopLagMs: 100, rateLimit: 'off' });
  });
  afterAll(() => server.close());

  const track = (messageId: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', 'x-public-key': server.production.publicKey },
      payload: JSON.stringify({ messageId, anonymousUid: randomUUID(), event: 'Under Load' }),
    });

  it('sheds ingest while the loop is behind, stores nothing it refused, and recovers', async () => {
    const before = randomUUID();
    expect((await track(before)).statusCode).toBe(200);

    await keepBehind(1_500);
    const refusedId = randomUUID();
    const refused = await track(refusedId);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json().error.code).toBe('UNAVAILABLE');
    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'overloaded', reason: 'event_loop_lag' });
    expect(ready.json().eventLoopLagMs).toBeGreaterThan(100);
    expect((await server.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    // Idle again: within a few windows the lag reads low and ingest is taken.
    const after = randomUUID();
    const until = Date.now() + 10_000;
    let answer = await track(after);
    while (answer.statusCode === 503 && Date.now() < until) {
      await sleep(200);
      answer = await track(after);
    }
    expect(answer.statusCode).toBe(200);
    // /readyz still says overloaded for a moment after the last refusal (so it does not flap).
    let readyAgain = await server.app.inject({ url: '/readyz' });
    while (readyAgain.statusCode !== 200 && Date.now() < until) {
      await sleep(200);
      readyAgain = await server.app.inject({ url: '/readyz' });
    }
    expect(readyAgain.json()).toEqual({ status: 'ok' });

    const rows = await server.db.query<{ m: string }>('SELECT message_id AS m FROM events WHERE message_id = ANY($1)', [
      [before, refusedId, after],
    ]);
    expect(rows.map((r) => r.m).sort()).toEqual([before, after].sort());
  }, 30_000);
});
