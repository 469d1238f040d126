/**
 * A small node:http adapter: turns each IncomingMessage into a Web Request and calls the
 * framework-independent handlers, the same ones the Next.js route files call. So the API is
 * tested over real HTTP without `next build`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendPeer } from '../../../src/server/peer-address';
import {
  handleAccount,
  handleImprove,
  handleOpenApi,
  handleRemoveBg,
  type ApiDeps,
} from '../../../src/server/removebg';

const ROUTES: Record<string, (req: Request, deps: ApiDeps) => Response | Promise<Response>> = {
  '/v1.0/removebg': handleRemoveBg,
  '/v1.0/account': handleAccount,
  '/v1.0/improve': handleImprove,
  '/v1.0/openapi.json': (req) => handleOpenApi(req),
};

export function toWebRequest(req: http.IncomingMessage, origin: string): Request {
  // As in production (peer-address.ts): the socket peer is the rightmost X-Forwarded-For entry.
  appendPeer(req.headers, req.socket.remoteAddress);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    duplex: 'half',
  } as RequestInit);
}

/**
 * The body as a Web stream with backpressure. Unlike Readable.toWeb, a body the handler cancelled
 * (refused early: 402, 413, 429) is drained and dropped here instead of throwing on the next chunk.
 */
function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      req.on('error', (err) => {
        if (!done) controller.error(err);
        done = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}

export async function writeWebResponse(res: http.ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface ApiServer {
  /** The base URL a remove.bg client needs, e.g. http://127.0.0.1:41234/v1.0 */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApiServer(deps: ApiDeps): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const path = new URL(req.url ?? '/', origin).pathname;
    const route = ROUTES[path];
    if (!route) {
      res.statusCode = 404;
      res.end();
      return;
    }
    Promise.resolve(route(toWebRequest(req, origin), deps))
      .then((response) => writeWebResponse(res, response))
      .catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1.0`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
