/**
 * Counts every remove.bg API request (bgr_api_requests_total{route,status}) and stamps its answer
 * with the request id, at the one place all /v1.0 endpoints pass through (index.ts wraps each
 * handler). The route label is the endpoint's path, e.g. /v1.0/removebg.
 */
import { requestIdOf } from '../logging/context';
import { webMetrics } from '../metrics/registry';

export function observeApi<A extends unknown[]>(
  route: string,
  handler: (req: Request, ...rest: A) => Response | Promise<Response>,
): (req: Request, ...rest: A) => Promise<Response> {
  return async (req, ...rest) => {
    const metrics = webMetrics();
    const res = await handler(req, ...rest);
    metrics.apiRequests.inc({ route, status: String(res.status) });
    if (!res.headers.has('X-Request-Id')) {
      try {
        res.headers.set('X-Request-Id', requestIdOf(req));
      } catch {
        // An immutable Response (none of ours): the server's request log still echoes the id.
      }
    }
    return res;
  };
}
