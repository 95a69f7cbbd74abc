// Clients that open a connection and send half a request are shed after the headers timeout,
// so they cannot hold sockets (and memory) for ever; well-behaved clients are served meanwhile.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HEADERS_TIMEOUT_MS = 500;

describe('slow, half-sent requests', () => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer({ httpHeadersTimeoutMs: HEADERS_TIMEOUT_MS, httpRequestTimeoutMs: 1_000 });
    port = Number(new URL(await server.listen()).port);
  });
  afterAll(() => server.close());

  /** Opens a socket, sends the start of a request and never the rest; resolves when the server closes it. */
  const halfRequest = () =>
    new Promise<{ socket: net.Socket; closed: Promise<number> }>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('POST /v1/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n');
        const opened = Date.now();
        const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - opened)));
        resolve({ socket, closed });
      });
      socket.on('error', () => {});
      socket.resume();
    });

  it('closes every socket that has not sent its headers after the headers timeout', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, halfRequest));
    // Served meanwhile: the slow ones hold no one up.
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);

    const watchdog = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5_000).unref());
    const lifetimes = await Promise.all(sockets.map((s) => Promise.race([s.closed, watchdog])));
    for (const s of sockets) s.socket.destroy();
    for (const lifetime of lifetimes) {
      expect(lifetime).not.toBe('still open');
      expect(lifetime).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    }
  }, 15_000);
});
