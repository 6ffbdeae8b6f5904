import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy on a free local port in front of a real server, to make that server unreachable
 * for a while without touching it: `cut()` destroys every open connection and refuses new ones
 * (as a network partition or a restarting server would), `restore()` lets them through again.
 */
export interface TcpProxy {
  /** The local port clients connect to instead of the target's. */
  readonly port: number;
  cut(): void;
  restore(): void;
  /** Client connections destroyed by `cut()` or refused while cut, since the start. */
  readonly dropped: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  let isCut = false;
  let dropped = 0;
  const server = net.createServer((client) => {
    if (isCut) {
      dropped += 1;
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    clients.add(client);
    open.add(client);
    open.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      clients.delete(client);
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      isCut = true;
      dropped += clients.size;
      for (const socket of open) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    get dropped() {
      return dropped;
    },
    async close() {
      for (const socket of open) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
