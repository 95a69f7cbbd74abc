/**
 * A Tessera server whose PostgreSQL connections go through a TCP proxy (tcp-proxy.ts), so a test
 * can take the database down, make it refuse or hang, and bring it back. PostgreSQL only.
 * @example
 *   const { server, proxy, close } = await startProxiedServer({ dbStatementTimeoutMs: 1_000 });
 *   proxy.pause();
 */
import type { ConfigOverrides } from '../../src/config.ts';
import { createServer, type TesseraServer } from '../../src/server.ts';
import { createTestDatabase } from './database.ts';
import { ADMIN_TOKEN } from './server.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export interface ProxiedServer {
  server: TesseraServer;
  proxy: TcpProxy;
  /** The public key of the first-start environment `production`. */
  publicKey: string;
  /** Restores the proxy, closes the server and the proxy, drops the test schema. */
  close(): Promise<void>;
}

/** @param overrides further settings, e.g. `{ dbPoolSize: 2 }`. */
export async function startProxiedServer(overrides: ConfigOverrides = {}): Promise<ProxiedServer> {
  const testDb = await createTestDatabase();
  const url = new URL(testDb.url);
  const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  url.host = `127.0.0.1:${proxy.port}`;
  const server = await createServer({
    databaseUrl: url.toString(),
    adminToken: ADMIN_TOKEN,
    logger: false,
    // As in startTestServer: a stalled test worker is not an overload.
    maxEventLoopLagMs: 'off',
    ...overrides,
  });
  return {
    server,
    proxy,
    publicKey: server.firstStart!.environments[0]!.keyPair.publicKey,
    async close() {
      proxy.restore();
      await server.close();
      await proxy.close();
      await testDb.drop();
    },
  };
}
