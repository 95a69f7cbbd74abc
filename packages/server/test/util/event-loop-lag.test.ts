/** sampleEventLoopLag: near 0 on an idle loop, high while the loop is kept busy, 0 once stopped. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sampleEventLoopLag } from '../../src/util/event-loop-lag.ts';

/** Keeps the loop busy for `ms` without yielding. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('sampleEventLoopLag', () => {
  it('reads near 0 when idle and high while the loop is blocked', async () => {
    const lag = sampleEventLoopLag({ resolutionMs: 10, windowMs: 100 });
    try {
      expect(lag.lagMs).toBe(0);
      await sleep(350);
      // An idle loop runs its timers on time (a loaded test machine: some ms late).
      expect(lag.lagMs).toBeLessThan(40);

      // 200 ms stalls back to back, yielding only briefly: the windows mean many ms of lag.
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) {
        block(200);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(lag.lagMs);
      }
      expect(Math.max(...seen)).toBeGreaterThan(60);

      await sleep(350);
      expect(lag.lagMs).toBeLessThan(40);
    } finally {
      lag.stop();
    }
    expect(lag.lagMs).toBe(0);
    lag.stop();
  });
});
