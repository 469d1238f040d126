/**
 * A real web server process for the body-cap tests: the same framework-independent handlers the
 * Next.js route files call (tRPC, /api/images, /v1.0/*), wired from the environment exactly as the
 * route files wire them, behind a plain node:http server. Started by body-limit.http.test.ts with
 * `node --import tsx` (one process, so its RSS can be read from /proc/<pid>/status).
 *
 * A body the handler stopped reading is never drained: the request stays paused, the answer
 * goes out, and the socket is closed a moment later (or by the client once it has the answer).
 *
 * Environment: DATABASE_URL, STORAGE_DIR, INFERENCE_URLS/INFERENCE_SECRET (never reached here),
 * BODY_TEST_USER_ID (the user /api/images treats as signed in). Prints `READY <port>` when listening.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDb } from '@bgr/db/client';
import { handleTrpcRequest } from '../../src/server/api/http-handler';
import { createTRPCContext } from '../../src/server/api/trpc';
import { handleUpload } from '../../src/server/images/upload';
import { getInference } from '../../src/server/inference';
import { getApiDeps, handleImprove, handleRemoveBg } from '../../src/server/removebg';
import { getStorage } from '../../src/server/storage/index';

type Handler = (req: Request) => Promise<Response>;

function route(path: string): Handler | null {
  if (path.startsWith('/api/trpc/')) {
    return (req) => handleTrpcRequest(req, () => createTRPCContext({ headers: req.headers, session: null }));
  }
  if (path === '/api/images') {
    return async (req) => {
      const userId = process.env.BODY_TEST_USER_ID;
      return handleUpload(req, {
        db: await getDb(),
        storage: getStorage(),
        inference: getInference(),
        currentUser: async () => (userId ? { id: userId } : null),
      });
    };
  }
  if (path === '/v1.0/removebg') return async (req) => handleRemoveBg(req, await getApiDeps());
  if (path === '/v1.0/improve') return async (req) => handleImprove(req, await getApiDeps());
  return null;
}

/** The incoming body as a Web stream with backpressure; cancelling it pauses the socket read. */
function bodyStream(req: http.IncomingMessage, state: { cancelled: boolean }): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (state.cancelled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          if (!state.cancelled) controller.close();
        });
        req.on('error', (err) => {
          if (!state.cancelled) controller.error(err);
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        state.cancelled = true;
        req.pause();
      },
    },
    { highWaterMark: 256 * 1024, size: (chunk) => chunk.byteLength },
  );
}

const server = http.createServer((req, res) => {
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
  const handler = route(new URL(req.url ?? '/', origin).pathname);
  if (!handler) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const state = { cancelled: false };
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    body: hasBody ? bodyStream(req, state) : undefined,
    duplex: 'half',
  } as RequestInit);
  handler(request)
    .then(async (response) => {
      const body = Buffer.from(await response.arrayBuffer());
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      const unread = hasBody && !req.complete;
      res.end(body, () => {
        // The rest of the body stays unread (the socket is paused). Closing at once, with unread
        // bytes in the receive buffer, would reset the connection before the client has read
        // the answer; so give it a moment, then drop the connection.
        if (unread) setTimeout(() => req.socket.destroy(), 2000).unref();
      });
    })
    .catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
