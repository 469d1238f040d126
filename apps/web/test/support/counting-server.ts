/**
 * A loopback HTTP server that counts every TCP connection it receives: tests that point the web
 * app's fetches at it prove a refusal for safety by the count staying at zero, whatever answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  port: number;
  connections(): number;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

export async function startCountingServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<CountingServer> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
