/**
 * One JSON log line for every request the web server answers, and its request id.
 *
 * Why at the HTTP server: `next start`, the standalone server and `npm run start:web` all hand
 * requests to Next.js through a node:http server, so this one hook covers pages, route handlers,
 * tRPC, the remove.bg API and static files alike without touching each route. Installed once per
 * process from instrumentation.ts (as peer-address.ts is), it wraps the server's 'request' event:
 *   - the id is the client's X-Request-Id when it matches [A-Za-z0-9._-]{1,64}, else a new UUID;
 *     it is written back into the request's headers (route handlers see the same id), echoed in
 *     the response's X-Request-Id, and sent to the inference service with every call made while
 *     serving the request (the inference client reads it from the request context);
 *   - the request runs inside its context (context.ts), where handlers note the user and outcome;
 *   - when the response is done: one line {reqId, method, path, route, status, ms, userId?,
 *     outcome} at info (error for 5xx and requests cut off; debug for /healthz, /readyz and
 *     /_next/static files), and bgr_http_requests_total{route,method,status} counts it.
 * The query string is never logged (it could carry a token); neither are headers or bodies.
 */
import http from 'node:http';
import { REQUEST_ID_HEADER, requestIdFrom } from '@bgr/inference-client/request-id';
import { webMetrics } from '../metrics/registry';
import { type RequestContext, requestStore } from './context';
import { logger } from './logger';

const installed = Symbol.for('bgr.requestLogInstalled');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUIET = /^\/(healthz|readyz)$|^\/_next\/static\//;

/** The path as a low-cardinality route for the metric: ids become `[id]`, unanswered paths one label. */
export function routeOf(path: string, status: number): string {
  if (status === 404) return 'unmatched';
  if (path.startsWith('/_next/')) return '/_next';
  if (path.startsWith('/api/trpc/')) return '/api/trpc';
  return path
    .split('/')
    .map((seg) => (UUID.test(seg) || /^\d+$/.test(seg) || seg.length > 40 ? '[id]' : seg))
    .join('/');
}

/** Starts the context and the completion line for one request (exported for the tests' servers). */
export function traceRequest(req: http.IncomingMessage, res: http.ServerResponse): RequestContext {
  const ctx: RequestContext = { id: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
  req.headers[REQUEST_ID_HEADER] = ctx.id;
  if (!res.headersSent) res.setHeader('X-Request-Id', ctx.id);
  const started = performance.now();
  res.once('close', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const status = res.statusCode;
    const cut = !res.writableFinished;
    try {
      webMetrics().httpRequests.inc({
        route: routeOf(path, status),
        method: req.method ?? 'GET',
        status: String(status),
      });
      const level = cut || status >= 500 ? 'error' : QUIET.test(path) ? 'debug' : 'info';
      logger()[level](
        {
          reqId: ctx.id,
          method: req.method,
          path,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(ctx.userId ? { userId: ctx.userId } : {}),
          outcome: ctx.outcome ?? (cut ? 'aborted' : status < 400 ? 'ok' : 'error'),
        },
        'request',
      );
    } catch {
      // Logging never breaks serving (e.g. a bad LOG_LEVEL is reported at start, not per request).
    }
  });
  return ctx;
}

export function installRequestLog(): void {
  const proto = http.Server.prototype as unknown as Record<symbol | string, unknown> & { emit: http.Server['emit'] };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return emit.call(this, event, ...args);
    const ctx = traceRequest(args[0] as http.IncomingMessage, args[1] as http.ServerResponse);
    return requestStore().run(ctx, () => emit.call(this, event, ...args));
  } as http.Server['emit'];
}
