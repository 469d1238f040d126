/**
 * The request being served: its id, and what the code learns while serving it (who the user is,
 * how it ended), for its one log line. Why AsyncLocalStorage: the request log (request-log.ts)
 * starts the context where Node hands the server a request, so every route, page, tRPC call and
 * inference call made while serving it can read the id without passing it down. It lives on
 * globalThis: Next.js bundles instrumentation and each route apart, and all must share one store.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { REQUEST_ID_HEADER, requestIdFrom } from '@bgr/inference-client/request-id';

export interface RequestContext {
  id: string;
  /** The signed-in user or the API key's owner, once known. Never a key, a password or a token. */
  userId?: string;
  /** How it ended: 'ok' or an error code (e.g. remove.bg's `insufficient_credits`); else derived from the status. */
  outcome?: string;
}

const KEY = Symbol.for('bgr.web.requestContext');

export function requestStore(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as { [KEY]?: AsyncLocalStorage<RequestContext> };
  g[KEY] ??= new AsyncLocalStorage<RequestContext>();
  return g[KEY];
}

export function currentRequest(): RequestContext | undefined {
  return requestStore().getStore();
}

/** Ids given to requests served outside a context (handlers called directly), so each keeps one. */
const outside = new WeakMap<Request, string>();

/** The id of `req`: the context's (the server assigned it), else the X-Request-Id header when safe, else a new one. */
export function requestIdOf(req: Request): string {
  const id = currentRequest()?.id;
  if (id) return id;
  let given = outside.get(req);
  if (!given) {
    given = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
    outside.set(req, given);
  }
  return given;
}

/** Records who is making the current request (a no-op outside one). */
export function noteUser(userId: string): void {
  const ctx = currentRequest();
  if (ctx) ctx.userId = userId;
}

/** Records how the current request ended (a no-op outside one). */
export function noteOutcome(outcome: string): void {
  const ctx = currentRequest();
  if (ctx) ctx.outcome = outcome;
}
