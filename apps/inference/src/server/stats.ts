// GET /v1/stats: what the web app's admin System page shows about this replica, as JSON (same
// x-inference-secret as renders). Prometheus /metrics has histograms since start; an operator
// looking at one replica wants "now": the provider, model and threads, renders in flight and
// queued, the median and 95th-percentile render time over the last hour, and the last server-side
// error (5xx) with its time. Render timings are kept for one hour in two parallel arrays (time,
// ms), oldest dropped as new ones arrive — a few hundred KB at GPU rates. The answer's shape,
// ReplicaStats, is @bgr/inference-client's: the web app reads the same type.
import type http from 'node:http';
import type { RenderError } from '@bgr/inference-client/errors';
import type { ReplicaStats } from '@bgr/inference-client/stats';

export const STATS_WINDOW_MS = 60 * 60_000;

/** What the service already reports on /healthz; the stats add to it. */
export type HealthFields = Pick<
  ReplicaStats,
  'ready' | 'model' | 'provider' | 'threads' | 'concurrency' | 'inFlight' | 'modelRuns'
> & { queueDepth: number };

/** The nearest-rank percentile `p` (0–1) of ascending `sorted`; null when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export class RenderStats {
  private readonly at: number[] = [];
  private readonly ms: number[] = [];
  private lastError: ReplicaStats['lastError'] = null;
  private readonly startedAt: string;

  constructor(
    private readonly health: () => HealthFields,
    private readonly now: () => number = Date.now,
    private readonly windowMs = STATS_WINDOW_MS,
  ) {
    this.startedAt = new Date(this.now()).toISOString();
  }

  /** A render answered 200 after `ms`. */
  rendered(ms: number): void {
    this.drop();
    this.at.push(this.now());
    this.ms.push(ms);
  }

  /** A render failed; kept as the last error when the service answered it 5xx. */
  failed(error: RenderError): void {
    if (error.status < 500) return;
    this.lastError = {
      code: error.code,
      status: error.status,
      detail: error.detail ?? error.title,
      at: new Date(this.now()).toISOString(),
    };
  }

  private drop(): void {
    const from = this.now() - this.windowMs;
    let n = 0;
    while (n < this.at.length && this.at[n]! < from) n++;
    if (n > 0) {
      this.at.splice(0, n);
      this.ms.splice(0, n);
    }
  }

  snapshot(): ReplicaStats {
    this.drop();
    const h = this.health();
    const sorted = Float64Array.from(this.ms).sort();
    return {
      ready: h.ready,
      model: h.model,
      provider: h.provider,
      threads: h.threads,
      concurrency: h.concurrency,
      inFlight: h.inFlight,
      queued: h.queueDepth,
      modelRuns: h.modelRuns,
      startedAt: this.startedAt,
      renders: {
        windowMinutes: this.windowMs / 60_000,
        count: sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p95Ms: percentile(sorted, 0.95),
      },
      lastError: this.lastError,
    };
  }

  /** Answers GET /v1/stats; `authorized` is the service's secret check of the request. */
  handle(res: http.ServerResponse, authorized: boolean): void {
    const [status, body] = authorized
      ? [200, this.snapshot()]
      : [
          401,
          {
            errors: [
              { code: 'unauthorized', title: 'Missing or wrong inference secret', detail: 'Send x-inference-secret.' },
            ],
          },
        ];
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(text);
  }
}
