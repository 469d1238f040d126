/**
 * GET /metrics: the registry in Prometheus text format, for a scraper holding METRICS_TOKEN.
 * Unset token: 404, as if the endpoint did not exist; a missing or wrong bearer token: 401.
 */
import { metricsAccess } from '@bgr/inference-client/metrics-auth';
import { webMetrics } from './registry';

export async function handleMetrics(req: Request, token: string | undefined): Promise<Response> {
  const access = metricsAccess(req.headers.get('authorization'), token);
  if (access === 'not_found') return new Response('Not found.\n', { status: 404 });
  if (access === 'unauthorized')
    return new Response('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.\n', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  const { registry } = webMetrics();
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}
