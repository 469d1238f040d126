// A small stand-in inference replica on loopback: a real HTTP server speaking the service's
// protocol (/readyz, POST /v1/render answering a tiny PNG with the x-* headers), whose behaviour a
// test switches: how long a render takes, answer 503, cut the socket mid-request, or hang /readyz.
// It counts renders started and renders answered in full, so tests can see where work went.
// It listens on 127.0.0.1 unless given another loopback address: several on 127.0.0.1, .2, .3
// with one port are what a name with several addresses (a headless Service) looks like.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RenderMode = 'ok' | 'busy' | 'request-timeout' | 'destroy-before-answer' | 'destroy-mid-body';

export class StandIn {
  readonly name: string;
  readonly host: string;
  mode: RenderMode = 'ok';
  /** How long a render takes (ms). */
  delayMs = 0;
  /** /readyz: 200 (ready), 503 (draining) or never answered (hung). */
  readiness: 'ready' | 'draining' | 'hung' = 'ready';
  started = 0;
  answered = 0;
  inFlight = 0;
  port = 0;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<() => void>();

  constructor(name: string, host = '127.0.0.1') {
    this.name = name;
    this.host = host;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Listens (again) on the same port as before, or a free one the first time (or `port`, once set). */
  async listen(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Dies like a killed process: the listener closes and every open connection is reset. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.resetAndDestroy();
    for (const release of this.held) release();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url === '/readyz') {
      if (this.readiness === 'hung') return; // never answered
      const ok = this.readiness === 'ready';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ready: ok }));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void this.render(req, res));
  }

  private async render(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.started++;
    this.inFlight++;
    try {
      if (this.delayMs > 0) await this.wait(this.delayMs);
      if (req.socket.destroyed) return; // killed meanwhile
      if (this.mode === 'destroy-before-answer') return void req.socket.resetAndDestroy();
      if (this.mode === 'request-timeout') {
        res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
        const error = { code: 'request_timeout', title: 'Request body not received in time', detail: 'Too slow.' };
        return void res.end(JSON.stringify({ errors: [error] }));
      }
      if (this.mode === 'busy') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        const error = { code: 'service_unavailable', title: 'Service unavailable', detail: 'Shutting down.' };
        return void res.end(JSON.stringify({ errors: [error] }));
      }
      const png = Buffer.from(`png-from-${this.name}`);
      res.writeHead(200, {
        'content-type': 'image/png',
        'content-length': String(png.length * 2),
        'x-format': 'png',
        'x-width': '4',
        'x-height': '3',
        'x-served-by': this.name,
      });
      if (this.mode === 'destroy-mid-body') {
        res.write(png); // half of the promised length, then the connection is cut
        await this.wait(20);
        return void req.socket.resetAndDestroy();
      }
      res.end(Buffer.concat([png, png]));
      this.answered++;
    } finally {
      this.inFlight--;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.held.add(release);
    });
  }
}

/** Starts `n` stand-ins named a, b, c… */
export async function standIns(n: number): Promise<StandIn[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => new StandIn(String.fromCharCode(97 + i)).listen()));
}

/**
 * Stand-ins named a, b, c… on the given loopback addresses, all on one port (Linux routes all of
 * 127/8 to lo): the first takes a free port, the others the same one on their address.
 */
export async function standInsOnOnePort(hosts: string[]): Promise<StandIn[]> {
  for (let attempt = 0; ; attempt++) {
    const all = hosts.map((host, i) => new StandIn(String.fromCharCode(97 + i), host));
    try {
      await all[0]!.listen();
      for (const s of all.slice(1)) {
        s.port = all[0]!.port;
        await s.listen();
      }
      return all;
    } catch (err) {
      await Promise.all(all.map((s) => s.kill()));
      if (attempt >= 4) throw err; // the free port was taken on another address: try another
    }
  }
}

/** Waits until `check` holds, polling every 20 ms; returns the time it took (ms) or throws after `limitMs`. */
export async function until(check: () => boolean, limitMs: number): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > limitMs) throw new Error(`Condition not met within ${limitMs} ms.`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - started;
}
