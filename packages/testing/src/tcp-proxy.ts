import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (RabbitMQ, Redis, PostgreSQL) so that a test can cut the
 * connections of the code under test, or refuse new ones for a while, without stopping the server
 * that other tests share.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  /** Port the proxy listens on (127.0.0.1). */
  port = 0;

  private constructor(targetHost: string, targetPort: number) {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: targetHost, port: targetPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  /** Starts a proxy to `host:port` on a free local port. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  /** Cuts every open connection, as if the network or the server went away. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Cuts every connection and refuses new ones until {@link restore}. */
  outage(): void {
    this.refusing = true;
    this.cut();
  }

  /** Accepts connections again. */
  restore(): void {
    this.refusing = false;
  }

  /**
   * Stops the proxy. New connections are refused first: a client reconnecting between the cut and
   * the close would otherwise hold the server open, and `close` would never resolve.
   */
  async close(): Promise<void> {
    this.outage();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
