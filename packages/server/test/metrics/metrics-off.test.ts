// TESSERA_METRICS=off: no /metrics route, no hook counting requests, nothing collected.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsEnabled } from '../../src/metrics/registry.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('TESSERA_METRICS=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ metrics: 'off' });
  });
  afterAll(() => server.close());

  it('answers 404 at /metrics and registers no response hook', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    const routes = server.app.printRoutes({ includeHooks: true, commonPrefix: false });
    expect(routes).toContain('v1/batch (POST)');
    expect(routes).not.toContain('onResponse');
    expect(metricsEnabled()).toBe(false);
  });

  it('reads the metrics settings, refusing a bad value with one line naming the setting', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
    writeFileSync(join(dir, 'token'), 'from-a-file-0123\n');
    expect(loadConfig({}, { TESSERA_METRICS_TOKEN_FILE: join(dir, 'token') }).metricsToken).toBe('from-a-file-0123');
    expect(loadConfig({}, { TESSERA_METRICS: 'off', TESSERA_REQUEST_LOG: 'off' })).toMatchObject({
      metrics: false,
      requestLog: false,
    });
    expect(() => loadConfig({}, { TESSERA_REQUEST_LOG: 'yes' })).toThrow(
      'TESSERA_REQUEST_LOG must be on or off, got "yes"',
    );
    expect(() => loadConfig({}, { TESSERA_METRICS: 'maybe' })).toThrow(
      'TESSERA_METRICS must be on or off, got "maybe"',
    );
  });
});
