/**
 * The web app's Prometheus metrics, all in one registry (served by /metrics, see endpoint.ts).
 * Why a globalThis singleton: Next.js bundles instrumentation and each route on its own, so a
 * module-level registry would be one per bundle and a scrape would see only its own route's
 * counts. The first caller creates it (instrumentation.ts does, at start) and every bundle finds it.
 *
 * Each metric is counted at the one place its event happens: HTTP requests in the request log
 * (logging/request-log.ts), API calls in the removebg handlers, holds and credits in the charging
 * path (a @bgr/db charge-event listener, registered here), inference calls in the inference
 * client's onAttempt hook (server/inference.ts), refusals in the rate limiters.
 *
 * A series labelled with an inference replica lives as long as the replica: one found by a dns+
 * name (a pod) that has left for good (the client's onLeave) takes its series with it
 * (forgetReplica), so pods that come and go do not pile up series; one that comes back starts from 0.
 */
import { onChargeEvent } from '@bgr/db/queries/charge-events';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface WebMetrics {
  registry: Registry;
  /** Every request the web server answered, by route (pattern) and status. */
  httpRequests: Counter<'route' | 'method' | 'status'>;
  /** remove.bg API requests by path (e.g. /v1.0/removebg) and status. */
  apiRequests: Counter<'route' | 'status'>;
  /** /v1.0/removebg calls by requested size and outcome ('ok' or the error code). */
  apiCalls: Counter<'size' | 'outcome'>;
  /** Units (quarter credits) captured, by channel (api, apps, web). */
  creditsCharged: Counter<'channel'>;
  /** Holds opened, captured and released, by charge kind. */
  holds: Counter<'event' | 'kind'>;
  /** Attempts on inference replicas by replica URL, endpoint and outcome. */
  inferenceCalls: Counter<'replica' | 'endpoint' | 'outcome'>;
  inferenceSeconds: Histogram<'replica' | 'endpoint'>;
  /** Requests refused by a per-user limit, by limit. */
  rateLimitRefusals: Counter<'limit'>;
}

const KEY = Symbol.for('bgr.web.metrics');

function create(): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bgr_web_' });
  const m: WebMetrics = {
    registry,
    httpRequests: new Counter({
      name: 'bgr_http_requests_total',
      help: 'Requests answered by the web server, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    apiRequests: new Counter({
      name: 'bgr_api_requests_total',
      help: 'remove.bg API requests by route (path) and status.',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    apiCalls: new Counter({
      name: 'bgr_api_calls_total',
      help: '/v1.0/removebg calls by requested size and outcome (ok or the error code).',
      labelNames: ['size', 'outcome'],
      registers: [registry],
    }),
    creditsCharged: new Counter({
      name: 'bgr_credits_charged_units_total',
      help: 'Units (quarter credits) charged, by channel.',
      labelNames: ['channel'],
      registers: [registry],
    }),
    holds: new Counter({
      name: 'bgr_holds_total',
      help: 'Credit holds by event (opened, captured, released) and charge kind.',
      labelNames: ['event', 'kind'],
      registers: [registry],
    }),
    inferenceCalls: new Counter({
      name: 'bgr_inference_calls_total',
      help: 'Calls to inference replicas (each attempt) by replica, endpoint and outcome.',
      labelNames: ['replica', 'endpoint', 'outcome'],
      registers: [registry],
    }),
    inferenceSeconds: new Histogram({
      name: 'bgr_inference_call_duration_seconds',
      help: 'Time of each attempt on an inference replica.',
      labelNames: ['replica', 'endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'bgr_rate_limit_refusals_total',
      help: 'Requests refused by a per-user or per-address limit, by limit.',
      labelNames: ['limit'],
      registers: [registry],
    }),
  };
  onChargeEvent(({ event, kind, channel, units }) => {
    m.holds.inc({ event, kind });
    if (event === 'captured' && units > 0) m.creditsCharged.inc({ channel }, units);
  });
  return m;
}

/** What forgetReplica needs of a metric; every prom-client metric has it. */
interface Labelled {
  labelNames?: readonly string[];
  get(): Promise<{ values: { labels: Record<string, string | number | undefined> }[] }>;
  remove(labels: Record<string, string | number>): void;
}

/** Drops every series of one inference replica from each metric with a `replica` label. */
export async function forgetReplica(replica: string): Promise<void> {
  const metrics = webMetrics().registry.getMetricsAsArray() as unknown as Labelled[];
  for (const metric of metrics) {
    if (!metric.labelNames?.includes('replica')) continue;
    for (const { labels } of (await metric.get()).values) {
      if (labels.replica !== replica) continue;
      // A histogram's bucket lines carry `le` too; the series is the labels without it.
      const series: Record<string, string | number> = {};
      for (const name of metric.labelNames) if (labels[name] !== undefined) series[name] = labels[name];
      metric.remove(series);
    }
  }
}

/** This process's metrics (created on first use). */
export function webMetrics(): WebMetrics {
  const g = globalThis as { [KEY]?: WebMetrics };
  g[KEY] ??= create();
  return g[KEY];
}
