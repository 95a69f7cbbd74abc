/** LoadShedder with a fake queue (work that settles when the test says) and a fake lag and clock. */
import { Limits } from '@tessera/protocol';
import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../../src/errors.ts';
import { LoadShedder, OVERLOAD_HOLD_MS, SHED_RETRY_AFTER_SECONDS } from '../../src/services/load-shedder.ts';

/** Work that stays queued until `finish()` (or `fail()`). */
function heldWork() {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = () => resolve('done');
    fail = reject;
  });
  return { work: () => done, finish, fail };
}

function setup(bounds: { maxQueuedEvents: number; maxEventLoopLagMs: number }) {
  const lag = { lagMs: 0 };
  const clock = { ms: 1_000_000 };
  const shedder = new LoadShedder(bounds, lag, () => clock.ms);
  return { shedder, lag, clock };
}

async function refusal(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTesseraError(err)) throw new Error(`expected a TesseraError, got ${String(err)}`);
  return err;
}

describe('LoadShedder', () => {
  it('admits until the bound, refuses without running the work, and admits again once the queue drains', async () => {
    const { shedder } = setup({ maxQueuedEvents: 3, maxEventLoopLagMs: 0 });
    const held = [heldWork(), heldWork(), heldWork()];
    const running = held.map((h) => shedder.admit(1, h.work));
    expect(shedder.queuedEvents).toBe(3);

    let ran = false;
    const err = await refusal(shedder.admit(1, async () => void (ran = true)));
    expect(ran).toBe(false);
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.retryAfterSeconds).toBe(SHED_RETRY_AFTER_SECONDS);
    expect(shedder.queuedEvents).toBe(3);

    // An admitted request is never dropped: each finishes with its own outcome.
    held[0]!.finish();
    held[1]!.fail(new Error('database down'));
    await expect(running[0]).resolves.toBe('done');
    await expect(running[1]).rejects.toThrow('database down');
    expect(shedder.queuedEvents).toBe(1);
    await expect(shedder.admit(1, async () => 'again')).resolves.toBe('again');
    held[2]!.finish();
    await running[2];
    expect(shedder.queuedEvents).toBe(0);
  });

  it('counts a batch by its items, passing the bound by at most one request', async () => {
    const { shedder } = setup({ maxQueuedEvents: 100, maxEventLoopLagMs: 0 });
    const a = heldWork();
    void shedder.admit(99, a.work);
    const b = heldWork();
    // 99 < 100 queued: admitted, and the count goes past the bound by this batch.
    void shedder.admit(50, b.work);
    expect(shedder.queuedEvents).toBe(149);
    await expect(refusal(shedder.admit(1, async () => {}))).resolves.toMatchObject({ code: 'UNAVAILABLE' });
    a.finish();
    b.finish();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(shedder.queuedEvents).toBe(0);
  });

  it('weighs an item count as at least 1 and at most the batch limit', async () => {
    const { shedder } = setup({ maxQueuedEvents: 1_000_000, maxEventLoopLagMs: 0 });
    const held = heldWork();
    void shedder.admit(0, held.work);
    void shedder.admit(Number.NaN, held.work);
    void shedder.admit(10 * Limits.maxBatchItems, held.work);
    expect(shedder.queuedEvents).toBe(2 + Limits.maxBatchItems);
    held.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(shedder.queuedEvents).toBe(0);
  });

  it('releases the count when the work throws synchronously', async () => {
    const { shedder } = setup({ maxQueuedEvents: 1, maxEventLoopLagMs: 0 });
    await expect(
      shedder.admit(1, () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(shedder.queuedEvents).toBe(0);
  });

  it('sheds on event-loop lag above the bound, and never when the bound is 0', async () => {
    const { shedder, lag } = setup({ maxQueuedEvents: 10, maxEventLoopLagMs: 500 });
    lag.lagMs = 500;
    await expect(shedder.admit(1, async () => 'ok')).resolves.toBe('ok');
    lag.lagMs = 501;
    const err = await refusal(shedder.admit(1, async () => 'no'));
    expect(err.code).toBe('UNAVAILABLE');
    expect(shedder.overload()).toEqual({ reason: 'event_loop_lag', queuedEvents: 0, eventLoopLagMs: 501 });

    const off = setup({ maxQueuedEvents: 10, maxEventLoopLagMs: 0 });
    off.lag.lagMs = 60_000;
    await expect(off.shedder.admit(1, async () => 'ok')).resolves.toBe('ok');
    expect(off.shedder.overload()).toBeUndefined();
  });

  it('reports overload while over a bound and for a moment after the last refusal', async () => {
    const { shedder, clock } = setup({ maxQueuedEvents: 1, maxEventLoopLagMs: 0 });
    expect(shedder.overload()).toBeUndefined();
    const held = heldWork();
    const running = shedder.admit(1, held.work);
    expect(shedder.overload()).toEqual({ reason: 'queue', queuedEvents: 1, eventLoopLagMs: 0 });
    await refusal(shedder.admit(1, async () => {}));
    held.finish();
    await running;
    // Below the bound again, but a request was refused just now: still reported.
    expect(shedder.overload()).toEqual({ reason: 'queue', queuedEvents: 0, eventLoopLagMs: 0 });
    clock.ms += OVERLOAD_HOLD_MS - 1;
    expect(shedder.overload()?.reason).toBe('queue');
    clock.ms += 1;
    expect(shedder.overload()).toBeUndefined();
  });

  it('unbounded() sheds nothing', async () => {
    const shedder = LoadShedder.unbounded();
    const held = heldWork();
    const running = Array.from({ length: 50 }, () => shedder.admit(Limits.maxBatchItems, held.work));
    expect(shedder.queuedEvents).toBe(50 * Limits.maxBatchItems);
    expect(shedder.overload()).toBeUndefined();
    held.finish();
    await Promise.all(running);
  });
});
