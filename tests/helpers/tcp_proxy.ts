// A TCP proxy between the server and PostgreSQL that a test can cut and restore: a network cut (or
// a server that is down) without touching the PostgreSQL that other tests share; or between a
// browser and the app, to take the server away in the middle of a request.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones (closed as soon as accepted). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** `inspect` sees what clients send, before it goes on (a test may cut the line when a request starts). */
export async function startTcpProxy(targetHost: string, targetPort: number, inspect?: (chunk: Buffer) => void): Promise<TcpProxy> {
  let down = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    if (inspect) client.on('data', (chunk: Buffer) => inspect(chunk));
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
