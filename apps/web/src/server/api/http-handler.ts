/**
 * The tRPC HTTP endpoint as a framework-independent function: the Next.js route file and the
 * tests' plain Node server both call it. tRPC's fetch adapter reads bodies without a cap, so the
 * body is read here first through body-limit (1 MB); over the cap tRPC itself answers with a
 * PAYLOAD_TOO_LARGE error (413, a sentence, in the shape every tRPC client understands). A batch
 * of more than TRPC_MAX_BATCH calls is refused whole (400) before any of them runs, with our
 * sentence (tRPC's own says only "Batch call exceeds maximum size"), formatted by the router's
 * error formatter like every other error; tRPC's maxBatchSize stays as the backstop.
 */
import { getTRPCErrorShape, TRPCError, transformTRPCResponse } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { BODY_LIMITS, BodyTooLargeError, withLimitedBody } from '../body-limit';
import { batchTooLargeMessage, TRPC_MAX_BATCH } from '../../lib/trpc-batch';
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

const ENDPOINT = '/api/trpc';

/** How many calls the request carries, counted as tRPC counts them; null when it is not a batch. */
function batchCalls(req: Request): number | null {
  const url = new URL(req.url);
  if (url.searchParams.get('batch') !== '1') return null;
  const path = url.pathname.slice(ENDPOINT.length).replace(/^\/+|\/+$/g, '');
  try {
    return decodeURIComponent(path).split(',').length;
  } catch {
    return null; // tRPC answers a badly encoded path itself
  }
}

/** A tRPC error answered here, in tRPC's own shape, through the router's error formatter. */
function errorResponse(error: TRPCError): Response {
  const config = appRouter._def._config;
  const shape = getTRPCErrorShape({
    config,
    error,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return new Response(JSON.stringify(transformTRPCResponse(config, { error: shape })), {
    status: getHTTPStatusCodeFromError(error),
    headers: { 'content-type': 'application/json', vary: 'trpc-accept, accept' },
  });
}

export async function handleTrpcRequest(req: Request, createContext: () => Promise<TRPCContext>): Promise<Response> {
  const calls = batchCalls(req);
  if (calls !== null && calls > TRPC_MAX_BATCH)
    return errorResponse(new TRPCError({ code: 'BAD_REQUEST', message: batchTooLargeMessage(calls) }));
  return fetchRequestHandler({
    endpoint: ENDPOINT,
    router: appRouter,
    req: await withCappedBody(req),
    createContext,
    maxBatchSize: TRPC_MAX_BATCH,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path ?? '?'}:`, error.cause ?? error);
    },
  });
}
