/**
 * The server's Prometheus metrics: one registry per process (a scrape sees the whole process),
 * with small recording functions that services call. Until `enableMetrics()` runs every recorder
 * is a no-op, so a server started with `TESSERA_METRICS=off` pays one null check per call.
 * Labels are bounded: routes are Fastify's route patterns, reasons are error codes, caches are
 * a fixed list.
 * @example
 *   const registry = enableMetrics();
 *   recordEvents('accepted', 3);
 *   const text = await registry.metrics();
 */
import client from 'prom-client';

/** The caches whose hits and misses are counted. */
export type CacheName = 'token' | 'key' | 'graphql_document';

/** Why an ingest request was refused by load shedding (services/load-shedder.ts). */
export type ShedReason = 'queue' | 'event_loop_lag';

/** Connections of the database: a pool on PostgreSQL, a single one on PGlite. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

interface Instruments {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  /** `method route status` → the pre-bound children, so a request allocates no label object. */
  httpChildren: Map<string, HttpChildren>;
  accepted: client.Counter.Internal;
  deduplicated: client.Counter.Internal;
  rejected: client.Counter<'reason'>;
  batchSize: client.Histogram.Internal<string>;
  flushSize: client.Histogram.Internal<string>;
  flushDuration: client.Histogram.Internal<string>;
  cacheHits: Record<CacheName, client.Counter.Internal>;
  cacheMisses: Record<CacheName, client.Counter.Internal>;
  poolSources: Array<() => PoolStats>;
  shed: Record<ShedReason, client.Counter.Internal>;
  queueSources: Array<() => number>;
}

interface HttpChildren {
  count: client.Counter.Internal;
  duration: client.Histogram.Internal<string>;
}

let instruments: Instruments | undefined;

const cacheNames: readonly CacheName[] = ['token', 'key', 'graphql_document'];
const shedReasons: readonly ShedReason[] = ['queue', 'event_loop_lag'];

/**
 * Creates the registry (once per process; later calls return the same one) with Node's default
 * metrics (event-loop lag, memory, GC, handles) and the server's own.
 */
export function enableMetrics(): client.Registry {
  if (instruments) return instruments.registry;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tessera_' });
  const registers = [registry];
  const httpRequests = new client.Counter({
    name: 'tessera_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new client.Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const events = new client.Counter({
    name: 'tessera_events_total',
    help: 'Events received: accepted (stored), deduplicated (a message id already stored)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const rejected = new client.Counter({
    name: 'tessera_events_rejected_total',
    help: 'Events and batch items refused, by error code',
    labelNames: ['reason'] as const,
    registers,
  });
  const batchSize = new client.Histogram({
    name: 'tessera_batch_items',
    help: 'Items per /v1/batch request',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers,
  });
  const flushSize = new client.Histogram({
    name: 'tessera_event_flush_rows',
    help: 'Events written per group-commit statement',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers,
  });
  const flushDuration = new client.Histogram({
    name: 'tessera_event_flush_duration_seconds',
    help: 'Time of one group-commit statement',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const cacheLookups = new client.Counter({
    name: 'tessera_cache_lookups_total',
    help: 'Cache lookups by cache (token, key, graphql_document) and result (hit, miss)',
    labelNames: ['cache', 'result'] as const,
    registers,
  });
  const poolSources: Array<() => PoolStats> = [];
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new client.Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(poolSources.reduce((sum, source) => sum + pick(source()), 0));
      },
    });
  poolGauge('tessera_db_connections', 'Database connections open', (s) => s.total);
  poolGauge('tessera_db_connections_idle', 'Database connections open and idle', (s) => s.idle);
  poolGauge('tessera_db_connections_waiting', 'Queries waiting for a database connection', (s) => s.waiting);
  const queueSources: Array<() => number> = [];
  new client.Gauge({
    name: 'tessera_event_queue_depth',
    help: 'Ingest items (events, identifies) admitted and not yet answered: waiting to be written or being written',
    registers,
    collect() {
      this.set(queueSources.reduce((sum, source) => sum + source(), 0));
    },
  });
  const shed = new client.Counter({
    name: 'tessera_requests_shed_total',
    help: 'Ingest requests answered 503 by load shedding, by reason (queue, event_loop_lag)',
    labelNames: ['reason'] as const,
    registers,
  });

  // Zero-valued series from the start, so rate() and alerts see them before the first event.
  const zeroed = (child: client.Counter.Internal) => (child.inc(0), child);
  const byCache = (result: 'hit' | 'miss') =>
    Object.fromEntries(cacheNames.map((cache) => [cache, zeroed(cacheLookups.labels(cache, result))])) as Record<
      CacheName,
      client.Counter.Internal
    >;
  instruments = {
    registry,
    httpRequests,
    httpDuration,
    httpChildren: new Map(),
    accepted: zeroed(events.labels('accepted')),
    deduplicated: zeroed(events.labels('deduplicated')),
    rejected,
    batchSize: batchSize.labels(),
    flushSize: flushSize.labels(),
    flushDuration: flushDuration.labels(),
    cacheHits: byCache('hit'),
    cacheMisses: byCache('miss'),
    poolSources,
    shed: Object.fromEntries(shedReasons.map((reason) => [reason, zeroed(shed.labels(reason))])) as Record<
      ShedReason,
      client.Counter.Internal
    >,
    queueSources,
  };
  return registry;
}

/** Whether `enableMetrics()` has run in this process. */
export function metricsEnabled(): boolean {
  return instruments !== undefined;
}

/**
 * Counts one answered request. `route` must be a route pattern (`/v1/accounts/:uid`), never a
 * raw URL; requests that matched no route pass `'unmatched'`.
 */
export function recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
  if (!instruments) return;
  const key = `${method} ${route} ${status}`;
  let children = instruments.httpChildren.get(key);
  if (children === undefined) {
    const statusText = String(status);
    children = {
      count: instruments.httpRequests.labels(method, route, statusText),
      duration: instruments.httpDuration.labels(method, route, statusText),
    };
    instruments.httpChildren.set(key, children);
  }
  children.count.inc();
  children.duration.observe(seconds);
}

/** Counts stored or deduplicated events. */
export function recordEvents(outcome: 'accepted' | 'deduplicated', count: number): void {
  if (!instruments || count === 0) return;
  (outcome === 'accepted' ? instruments.accepted : instruments.deduplicated).inc(count);
}

/** Counts one refused event or batch item; `reason` is its error code. */
export function recordRejectedEvent(reason: string): void {
  instruments?.rejected.labels(reason).inc();
}

/** Records the size of one `/v1/batch` request. */
export function recordBatchSize(items: number): void {
  instruments?.batchSize.observe(items);
}

/** Records one group-commit statement: its rows and how long it took. */
export function recordFlush(rows: number, seconds: number): void {
  if (!instruments) return;
  instruments.flushSize.observe(rows);
  instruments.flushDuration.observe(seconds);
}

/** Counts one cache lookup. */
export function recordCacheLookup(cache: CacheName, hit: boolean): void {
  if (!instruments) return;
  (hit ? instruments.cacheHits : instruments.cacheMisses)[cache].inc();
}

/**
 * Reports a database's connections on each scrape, until the returned function is called.
 * @example const stop = watchPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
 */
export function watchPool(source: () => PoolStats): () => void {
  return instruments ? watch(instruments.poolSources, source) : () => {};
}

/** Counts one ingest request refused by load shedding. */
export function recordShed(reason: ShedReason): void {
  instruments?.shed[reason].inc();
}

/**
 * Reports a write queue's depth on each scrape (summed over sources: one per server in this
 * process), until the returned function is called.
 * @example const stop = watchQueueDepth(() => shedder.queuedEvents);
 */
export function watchQueueDepth(source: () => number): () => void {
  return instruments ? watch(instruments.queueSources, source) : () => {};
}

/** Adds `source` to `sources` until the returned function is called. */
function watch<T>(sources: T[], source: T): () => void {
  sources.push(source);
  return () => {
    const at = sources.indexOf(source);
    if (at >= 0) sources.splice(at, 1);
  };
}

/** The text format's content type. */
export const metricsContentType = client.Registry.PROMETHEUS_CONTENT_TYPE;
