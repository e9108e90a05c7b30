import net from 'node:net';

/**
 * A TCP proxy between the service and PostgreSQL, so a test can take "the database" away without
 * touching the machine's shared server:
 * - `cut()`: stops accepting and resets every open connection (refusals and resets, as when the
 *   server goes down);
 * - `freeze()`: connections stay open and new ones are accepted, but no byte goes through (a hung
 *   server, a network partition);
 * - `restore()`: listens again on the same port (after a freeze, every hung connection is reset).
 */
export class TcpProxy {
  port = 0;
  /** Connections accepted since start (to see that the service reconnected). */
  accepted = 0;
  private server: net.Server | null = null;
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly pairs = new Set<[net.Socket, net.Socket]>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    await this.listen(0);
    return this.port;
  }

  private track(s: net.Socket, onError: () => void): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', onError);
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => {
      this.accepted++;
      if (this.frozen) {
        this.track(client, () => client.destroy());
        client.pause();
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      const both = () => {
        client.destroy();
        upstream.destroy();
      };
      this.track(client, both);
      this.track(upstream, both);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => this.pairs.delete(pair));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  /** The database stops: no new connections, and every open one is reset. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    this.pairs.clear();
    await closed;
  }

  /** The database hangs: nothing goes through in either direction, nothing is closed. */
  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** The database is back on the same address. */
  async restore(): Promise<void> {
    if (this.frozen) {
      this.frozen = false;
      await this.cut();
    }
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.frozen = false;
    await this.cut();
  }
}
