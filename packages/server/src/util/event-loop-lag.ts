/**
 * Event-loop lag, sampled cheaply: Node's `monitorEventLoopDelay` (a libuv timer in C++, no
 * JavaScript per tick) records how late each tick of a `resolutionMs` timer ran; every
 * `windowMs` one JavaScript timer reads the histogram's mean, less the resolution, and resets it.
 * Reading `lagMs` is a property access: a request's admission check pays nothing more.
 * A single long stall (a big synchronous job, a major GC) raises the mean of one window only.
 * @example
 *   const lag = sampleEventLoopLag();
 *   if (lag.lagMs > 500) shed();
 *   lag.stop();
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopLag {
  /** Mean lag of the last complete window, in milliseconds (0 before the first window ends). */
  readonly lagMs: number;
  /** Stops sampling (idempotent); `lagMs` then stays 0. */
  stop(): void;
}

export interface EventLoopLagOptions {
  /**
   * How often the histogram's timer ticks. Default 20 ms: idle, it costs ~2–4 ms of CPU a second
   * (10 ms: ~5–25), and lag below it does not matter against a bound of hundreds of ms.
   */
  resolutionMs?: number;
  /** How long each window lasts. Default 500 ms. */
  windowMs?: number;
}

export function sampleEventLoopLag(options: EventLoopLagOptions = {}): EventLoopLag {
  const resolutionMs = options.resolutionMs ?? 20;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let lagMs = 0;
  let stopped = false;
  const timer = setInterval(() => {
    // The histogram holds nanoseconds between ticks (each at least the resolution); no tick
    // yet in this window (the loop was blocked all along) leaves the mean NaN: keep the last.
    if (histogram.count > 0) lagMs = Math.max(0, histogram.mean / 1e6 - resolutionMs);
    histogram.reset();
  }, options.windowMs ?? 500);
  // Sampling never keeps the process alive.
  timer.unref();
  return {
    get lagMs() {
      return lagMs;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      histogram.disable();
      lagMs = 0;
    },
  };
}
