/** A TCP proxy on 127.0.0.1 that a test can cut and restore, to take a database "down" and back. */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  /**
   * Drops every open connection and answers each new one's startup message the way a full
   * PostgreSQL does: an ErrorResponse with `sqlState` (default 53300, too many connections).
   */
  refuse(sqlState?: string): void;
  /** Keeps connections open but forwards nothing either way (a hung database), until `restore`. */
  pause(): void;
  /** Undoes `cut`, `refuse` and `pause`. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true;
  let refusal: string | undefined;
  let paused = false;
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const connect = (client: net.Socket, upstream: net.Socket) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const disconnect = (client: net.Socket, upstream: net.Socket) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    if (refusal !== undefined) {
      const code = refusal;
      client.on('error', () => {});
      client.once('data', () => client.end(errorResponse(code)));
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        pairs.delete(pair);
      });
      s.on('error', () => {});
    }
    if (paused) disconnect(client, upstream);
    else connect(client, upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no address');
  return {
    port: address.port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    refuse(sqlState = '53300') {
      refusal = sqlState;
      for (const s of sockets) s.destroy();
    },
    pause() {
      paused = true;
      for (const [client, upstream] of pairs) disconnect(client, upstream);
    },
    restore() {
      up = true;
      refusal = undefined;
      if (paused) for (const [client, upstream] of pairs) connect(client, upstream);
      paused = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A PostgreSQL wire-protocol ErrorResponse (FATAL) with the given SQLSTATE. */
function errorResponse(sqlState: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0'),
    Buffer.from('VFATAL\0'),
    Buffer.from(`C${sqlState}\0`),
    Buffer.from('Msorry, too many clients already\0'),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
