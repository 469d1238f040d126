// The answer of the inference service's GET /v1/stats, which the web app's admin System page reads
// for each replica. Why here: the service writes it and the web app parses it, and this package is
// the wire both share (apps never import apps), so the shape is written once.

/** One replica's "now": provider, model and threads, renders in flight and queued, the last hour's timings, the last 5xx. */
export interface ReplicaStats {
  ready: boolean;
  model: string;
  provider: string;
  threads: number;
  concurrency: number;
  inFlight: number;
  queued: number;
  modelRuns: number;
  startedAt: string;
  /** Renders answered 200 in the last hour and their time (ms, queueing included); null without renders. */
  renders: { windowMinutes: number; count: number; p50Ms: number | null; p95Ms: number | null };
  /** The last render answered 5xx: its code, sentence and time. */
  lastError: { code: string; status: number; detail: string; at: string } | null;
}
