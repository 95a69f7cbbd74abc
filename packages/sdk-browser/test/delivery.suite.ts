// Delivery in real headless Chromium against a real server: offline, closing a page with a
// queue, and two tabs sharing one localStorage.
import { beforeAll, describe, expect, it } from 'vitest';
import { accountWithEvents, eventually, recordBatches, type BrowserEnv } from './helpers/env.ts';

/** Options that keep events queued until the page goes away or flush() is called. */
const HOLD = { flushAt: 1000, flushInterval: 600_000 };

/** Registers the tests; `browser.test.ts` runs them on one server and one Chromium. */
export function deliveryFlows(environment: () => BrowserEnv): void {
  describe('@tessera/browser delivery, in Chromium', () => {
    let env: BrowserEnv;
    beforeAll(() => {
      env = environment();
    });

    it('pauses while offline and stores every event exactly once when back online', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      const sent = recordBatches(page);
      await page.goto(env.pageUrl({ flushAt: 2 }));
      await context.setOffline(true);
      const { anon, result } = await page.evaluate(async () => {
        for (let i = 1; i <= 5; i++) window.tessera.track(`Offline ${i}`);
        return { anon: window.tessera.anonymousUid, result: await window.tessera.flush() };
      });
      expect(result).toEqual({ kind: 'offline', delivered: 0, rejected: [], dropped: 0 });
      expect(sent.requests).toBe(0);

      await context.setOffline(false);
      const visitor = await accountWithEvents(env, `anonymousUid=${anon}`, 5);
      expect(visitor.events.map((e) => e.name).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `Offline ${i}`));
      expect(new Set(visitor.events.map((e) => e.messageId)).size).toBe(5);
      expect(await page.evaluate(() => window.errors)).toEqual([]);
      await context.close();
    });

    it('a page closed with queued events still delivers them (beacon on pagehide)', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl(HOLD));
      const anon = await page.evaluate(() => {
        for (const n of ['Read', 'Scrolled', 'Left']) window.tessera.track(n, { section: n });
        return window.tessera.anonymousUid;
      });
      await page.close({ runBeforeUnload: true });
      const visitor = await accountWithEvents(env, `anonymousUid=${anon}`, 3);
      expect(visitor.events.map((e) => e.name).sort()).toEqual(['Left', 'Read', 'Scrolled']);
      await context.close();
    });

    it('what does not fit in the 64 KB beacon budget goes out on the next visit, once', async () => {
      const context = await env.browser.newContext();
      const page = await context.newPage();
      await page.goto(env.pageUrl(HOLD));
      const big = 'x'.repeat(30_000);
      const anon = await page.evaluate((data) => {
        for (const n of ['One', 'Two', 'Three']) window.tessera.track(n, { data });
        return window.tessera.anonymousUid;
      }, big);
      await page.close({ runBeforeUnload: true });
      // Chromium lets at most 64 KB of beacons be in flight: two of these ~30 KB events make it.
      await accountWithEvents(env, `anonymousUid=${anon}`, 2);

      const next = await context.newPage();
      await next.goto(env.pageUrl(HOLD));
      const visitor = await accountWithEvents(env, `anonymousUid=${anon}`, 3);
      expect(visitor.events.map((e) => e.name).sort()).toEqual(['One', 'Three', 'Two']);
      expect(new Set(visitor.events.map((e) => e.messageId)).size).toBe(3);
      expect(await next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tessera:q:')))).toEqual(
        [],
      );
      await context.close();
    });

    it('two tabs never send the same event twice; a tab adopts what a closed tab left behind', async () => {
      const context = await env.browser.newContext();
      const sent = recordBatches(context);
      const [a, b] = [await context.newPage(), await context.newPage()];
      await a.goto(env.pageUrl(HOLD));
      await b.goto(env.pageUrl({ flushAt: 3 }));
      const anon = await a.evaluate(() => window.tessera.anonymousUid);
      expect(await b.evaluate(() => window.tessera.anonymousUid)).toBe(anon);

      // Both tabs track at once, each flushing as it likes.
      await Promise.all([
        a.evaluate(async () => {
          for (let i = 0; i < 10; i++) window.tessera.track(`A${i}`);
          await window.tessera.flush();
        }),
        b.evaluate(async () => {
          for (let i = 0; i < 10; i++) window.tessera.track(`B${i}`);
          await window.tessera.flush();
        }),
      ]);
      await accountWithEvents(env, `anonymousUid=${anon}`, 20);

      // Tab A goes away without getting its queue out (no beacon, no network for it).
      await a.evaluate(() => {
        navigator.sendBeacon = () => false;
        for (let i = 0; i < 4; i++) window.tessera.track(`Left behind ${i}`);
      });
      await eventually(async () => (await a.evaluate(() => JSON.stringify(localStorage))).includes('Left behind 3'));
      await a.close();

      // Tab B notices A is gone (its Web Lock was released) and sends A's queue on its next flush.
      await eventually(async () => (await b.evaluate(() => window.tessera.flush())).delivered === 4);
      const visitor = await accountWithEvents(env, `anonymousUid=${anon}`, 24);
      const names = visitor.events.map((e) => e.name);
      expect(names).toHaveLength(24);
      expect(new Set(names).size).toBe(24);
      // No event went out in two requests.
      const ids = sent.messageIds();
      expect(ids).toHaveLength(24);
      expect(new Set(ids).size).toBe(24);
      expect(await b.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tessera:q:')))).toEqual([]);
      await context.close();
    });
  });
}
