/**
 * The tRPC HTTP endpoint as a framework-independent function: the Next.js route file and the
 * tests' plain Node server both call it. tRPC's fetch adapter reads bodies without a cap, so the
 * body is read here first through body-limit (1 MB); over the cap tRPC itself answers with a
 * PAYLOAD_TOO_LARGE error (413, a sentence, in the shape every tRPC client understands). A batch
 * of more than TRPC_MAX_BATCH calls is refused whole (400) before any of them runs.
 */
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { BODY_LIMITS, BodyTooLargeError, withLimitedBody } from '../body-limit';
import { TRPC_MAX_BATCH } from '../../lib/trpc-batch';
import { appRouter } from './root';
import type { TRPCContext } from './trpc';

/** A request with the same method, URL and headers whose body fails with `error` when read. */
function failingBody(req: Request, error: unknown): Request {
  const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.error(error) });
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.signal,
    duplex: 'half',
  } as RequestInit);
}

/** The request with its body read whole (at most BODY_LIMITS.trpc), or one whose body read fails. */
async function withCappedBody(req: Request): Promise<Request> {
  try {
    return await withLimitedBody(req, BODY_LIMITS.trpc);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      return failingBody(req, new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: err.message, cause: err }));
    }
    // A broken or aborted upload: tRPC answers it as a bad request.
    return failingBody(req, err);
  }
}

export async function handleTrpcRequest(req: Request, createContext: () => Promise<TRPCContext>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    router: appRouter,
    req: await withCappedBody(req),
    createContext,
    maxBatchSize: TRPC_MAX_BATCH,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path ?? '?'}:`, error.cause ?? error);
    },
  });
}
