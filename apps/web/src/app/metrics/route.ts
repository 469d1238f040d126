// GET /metrics — Prometheus text for a scraper with METRICS_TOKEN; all behaviour in src/server/metrics.
import { env } from '~/env';
import { handleMetrics } from '~/server/metrics/endpoint';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return handleMetrics(req, env().metricsToken);
}
