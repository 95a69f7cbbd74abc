// Back-pressure: with the database hung, a flood of ingest requests fills the write queue up to
// TESSERA_MAX_QUEUED_EVENTS and no further. The rest are answered 503 + Retry-After at once (not
// held), /readyz says overloaded, retained memory stays bounded; once the database is back every
// request answered 200 has its event stored exactly once and nothing refused was stored.
// Real HTTP over sockets, so each held request holds real sockets and buffers. Needs PostgreSQL
// (the TCP proxy pauses it); the admission logic itself is unit-tested in services/load-shedder.test.ts.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../helpers/database.ts';
import { startProxiedServer, type ProxiedServer } from '../helpers/proxied-server.ts';

/** The queue bound under test. */
const MAX_QUEUED = 100;
/** Requests sent at once: twenty times the bound. */
const FLOOD = 2_000;
/**
 * Each event carries ~16 KB of data, so a request that were held instead of refused would retain
 * its raw and parsed body (≥ 32 KB), its sockets and its Fastify request: 2000 held ≥ 64 MB. With
 * the bound, ~100 are held (~3–5 MB). The retained heap must stay under this.
 */
const MAX_RETAINED_HEAP_BYTES = 32 * 1024 * 1024;
const PADDING = 'x'.repeat(16 * 1024);

/** A full garbage collection, so heap sizes show what is retained rather than garbage not yet collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
  ms: number;
}

describe.skipIf(!usingPostgres)('back-pressure while the database hangs', () => {
  let proxied: ProxiedServer;
  let port: number;
  // New connections each time: every held request holds its own socket, as from many clients.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

  beforeAll(async () => {
    proxied = await startProxiedServer({
      port: 0,
      maxQueuedEvents: MAX_QUEUED,
      // The lag bound would also shed a flood on a busy machine: this test is about the queue.
      maxEventLoopLagMs: 'off',
      rateLimit: 'off',
      // Held requests wait for the database instead of timing out while it is paused.
      dbStatementTimeoutMs: 60_000,
    });
    port = Number(new URL(await proxied.server.listen()).port);
  });
  afterAll(async () => {
    agent.destroy();
    await proxied?.close();
  });

  const request = (method: string, path: string, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            'x-public-key': proxied.publicKey,
            ...(payload !== undefined && { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: res.headers['retry-after'],
              body: Buffer.concat(chunks).toString(),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const track = (messageId: string, anonymousUid: string) =>
    request('POST', '/v1/track', { messageId, anonymousUid, event: 'Flood', data: { padding: PADDING } });

  it('sheds past the bound at once, keeps memory bounded, and loses nothing it acknowledged', async () => {
    const { proxy, server } = proxied;
    const known = randomUUID();
    expect((await track(randomUUID(), known)).status).toBe(200); // key and account cached
    const heapBefore = retainedHeap();
    const rssBefore = process.memoryUsage().rss;

    proxy.pause();
    // Half known visitors (their events wait in the event writer), half new ones (they wait for
    // their account first): both count against the bound.
    const ids = Array.from({ length: FLOOD }, () => randomUUID());
    const pending = ids.map((id, i) => track(id, i % 2 === 0 ? known : randomUUID()));
    const settled = new Map<number, Answer>();
    pending.forEach((p, i) => void p.then((a) => settled.set(i, a)));

    // Everything past the bound is answered while the database is still paused.
    const deadline = Date.now() + 30_000;
    while (settled.size < FLOOD - MAX_QUEUED && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const shed = [...settled.values()];
    expect(shed.length).toBe(FLOOD - MAX_QUEUED);
    for (const answer of shed) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('2');
      expect(JSON.parse(answer.body).error.code).toBe('UNAVAILABLE');
    }
    expect(server.services.load.queuedEvents).toBe(MAX_QUEUED);

    // A new request is refused at once, not held.
    const late = await track(randomUUID(), known);
    expect(late.status).toBe(503);
    expect(late.ms).toBeLessThan(1_000);
    // So is DashX's trackEvent (GraphQL answers 200 with the error's code, and Retry-After).
    const graphql = await request('POST', '/graphql', {
      query: 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }',
      variables: { input: { event: 'Flood', accountAnonymousUid: known } },
    });
    expect(graphql.status).toBe(200);
    expect(graphql.retryAfter).toBe('2');
    expect(JSON.parse(graphql.body).errors[0].extensions.code).toBe('UNAVAILABLE');

    // A load balancer is told to look elsewhere; the process is alive; metrics are served.
    const ready = await request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1_000);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'overloaded', reason: 'queue', queuedEvents: MAX_QUEUED });
    expect((await request('GET', '/healthz')).status).toBe(200);
    const metrics = await request('GET', '/metrics');
    expect(metrics.body).toMatch(new RegExp(`^tessera_event_queue_depth ${MAX_QUEUED}$`, 'm'));
    const shedCount = Number(/^tessera_requests_shed_total\{reason="queue"\} (\d+)$/m.exec(metrics.body)?.[1]);
    expect(shedCount).toBeGreaterThanOrEqual(FLOOD - MAX_QUEUED + 2);

    // Retained memory, with 100 requests held and 1900 refused.
    const heapGrowth = retainedHeap() - heapBefore;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    console.log(
      `back-pressure: retained heap +${(heapGrowth / 2 ** 20).toFixed(1)} MiB, rss +${(rssGrowth / 2 ** 20).toFixed(1)} MiB ` +
        `for ${FLOOD} requests (${MAX_QUEUED} held)`,
    );
    expect(heapGrowth).toBeLessThan(MAX_RETAINED_HEAP_BYTES);

    proxy.restore();
    const answers = await Promise.all(pending);
    const ok = ids.filter((_, i) => answers[i]!.status === 200);
    const refused = ids.filter((_, i) => answers[i]!.status === 503);
    expect(ok.length).toBe(MAX_QUEUED);
    expect(ok.length + refused.length).toBe(FLOOD);

    const rows = await server.db.query<{ m: string; n: number }>(
      'SELECT message_id AS m, count(*)::int AS n FROM events WHERE message_id = ANY($1) GROUP BY message_id',
      [ids],
    );
    const stored = new Map(rows.map((r) => [r.m, r.n]));
    for (const id of ok) expect(stored.get(id)).toBe(1);
    // Refused before it was queued: never stored.
    for (const id of refused) expect(stored.has(id)).toBe(false);

    // Ready again once the queue drained and a moment passed without refusals.
    const until = Date.now() + 5_000;
    let back = await request('GET', '/readyz');
    while (back.status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      back = await request('GET', '/readyz');
    }
    expect(JSON.parse(back.body)).toEqual({ status: 'ok' });
    expect((await track(randomUUID(), known)).status).toBe(200);
  }, 90_000);
});
