// GET /metrics after real traffic: request, event, batch, flush, cache and pool metrics; the token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, TRACK } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { parseExposition, type Exposition } from './exposition.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metricsToken: METRICS_TOKEN });
  });
  afterAll(() => server.close());

  const scrape = async (): Promise<Exposition> => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.body);
  };
  const batch = (items: unknown[]) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', 'x-public-key': server.production.publicKey },
      payload: JSON.stringify({ batch: items }),
    });

  it('counts requests by route pattern, events by outcome, batches, flushes, caches and connections', async () => {
    const before = await scrape();
    const anon = randomUUID();
    const repeated = randomUUID();
    const first = await batch([
      { type: 'track', messageId: repeated, anonymousUid: anon, event: 'Opened' },
      { type: 'track', messageId: randomUUID(), anonymousUid: anon, event: '' },
      { type: 'teleport' },
    ]);
    expect(first.json()).toMatchObject({ accepted: 1 });
    const second = await batch([
      { type: 'track', messageId: repeated, anonymousUid: anon, event: 'Opened' },
      { type: 'track', messageId: randomUUID(), anonymousUid: anon, event: 'Closed' },
    ]);
    expect(second.json()).toEqual({ accepted: 2, rejected: [] });
    const tracked = await gql(
      server,
      TRACK,
      { event: 'Viewed', accountAnonymousUid: anon },
      {
        publicKey: server.production.publicKey,
      },
    );
    expect(tracked.body.data.trackEvent.success).toBe(true);
    const refused = await gql(
      server,
      TRACK,
      { event: '', accountAnonymousUid: anon },
      {
        publicKey: server.production.publicKey,
      },
    );
    expect(refused.body.errors).toHaveLength(1);
    expect((await server.admin('GET', '/environments')).status).toBe(200);
    expect((await server.admin('GET', `/environments/production/accounts/${randomUUID()}`)).status).toBe(404);
    await server.app.inject({ method: 'GET', url: `/no/such/${randomUUID()}` });

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) =>
      (after.sample(name, labels) ?? 0) - (before.sample(name, labels) ?? 0);

    expect(after.types.get('tessera_http_requests_total')).toBe('counter');
    expect(after.types.get('tessera_http_request_duration_seconds')).toBe('histogram');
    expect(delta('tessera_http_requests_total', { method: 'POST', route: '/v1/batch', status: '200' })).toBe(2);
    expect(delta('tessera_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBe(2);
    expect(delta('tessera_http_requests_total', { route: '/admin/api/environments', status: '200' })).toBe(1);
    expect(
      delta('tessera_http_requests_total', { route: '/admin/api/environments/:name/accounts/:id', status: '404' }),
    ).toBe(1);
    expect(delta('tessera_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(after.samples.some((s) => s.labels.route?.includes('/no/such'))).toBe(false);
    expect(
      delta('tessera_http_request_duration_seconds_count', { method: 'POST', route: '/v1/batch', status: '200' }),
    ).toBe(2);

    // 1 + 1 from the batches and 1 by GraphQL stored; the repeated message id absorbed.
    expect(delta('tessera_events_total', { outcome: 'accepted' })).toBe(3);
    expect(delta('tessera_events_total', { outcome: 'deduplicated' })).toBe(1);
    expect(after.types.get('tessera_events_rejected_total')).toBe('counter');
    // An empty name in the batch and by GraphQL, and the unknown item type.
    expect(delta('tessera_events_rejected_total', { reason: 'INVALID_INPUT' })).toBe(3);

    expect(after.types.get('tessera_batch_items')).toBe('histogram');
    expect(delta('tessera_batch_items_count')).toBe(2);
    expect(delta('tessera_batch_items_sum')).toBe(5);
    expect(delta('tessera_event_flush_rows_sum')).toBe(4);
    expect(delta('tessera_event_flush_duration_seconds_count')).toBeGreaterThanOrEqual(3);

    expect(delta('tessera_cache_lookups_total', { cache: 'key', result: 'hit' })).toBeGreaterThanOrEqual(3);
    expect(delta('tessera_cache_lookups_total', { cache: 'graphql_document', result: 'hit' })).toBe(1);
    expect(after.sample('tessera_cache_lookups_total', { cache: 'token', result: 'miss' })).toBeDefined();

    expect(after.types.get('tessera_db_connections')).toBe('gauge');
    expect(after.sample('tessera_db_connections')).toBeGreaterThanOrEqual(1);
    expect(after.sample('tessera_db_connections_waiting')).toBe(0);

    // Node's own: event-loop lag and memory.
    expect(after.types.get('tessera_nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(after.sample('tessera_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.sample('tessera_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('has HELP and TYPE for every family', async () => {
    const text = (await scrape()).types;
    const res = await server.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const parsed = parseExposition(res.body);
    for (const name of text.keys()) expect(parsed.help.get(name), name).toBeTruthy();
    for (const s of parsed.samples) {
      const family = s.name.replace(/_(bucket|sum|count)$/, '');
      expect(parsed.types.has(s.name) || parsed.types.has(family), s.name).toBe(true);
    }
  });

  it('needs the metrics token when one is set', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const res = await server.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
      expect(res.body).not.toContain('tessera_');
    }
  });
});
