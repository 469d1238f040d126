// The inference replicas one client knows (INFERENCE_URLS) and which of them may take work now.
// Each replica carries the client's own count of requests in flight to it and a ready flag. The flag
// drops the moment a request finds the replica unreachable, and a background probe of every
// replica's /readyz (every second, short timeout) keeps it current: a dead or draining replica is
// out within one probe period plus its timeout (< 2 s), and back as soon as /readyz answers 200.
// The probe timer is unref'd and starts with the first request, so an idle process is never kept
// alive by it. Choosing is least-busy first, ties to the one picked longest ago, so equal replicas
// share the work.

export interface Replica {
  readonly url: string;
  /** Requests this client has in flight to the replica. */
  inFlight: number;
  /** False from a failed request or probe until /readyz answers 200 again. */
  ready: boolean;
  /** When it was last picked (a sequence number), so that ties go to the one waiting longest. */
  lastPicked: number;
}

export interface ReplicaPoolOptions {
  /** How often every replica's /readyz is asked (ms; default 1000). */
  probeIntervalMs?: number;
  /** How long one /readyz may take before the replica counts as not ready (ms; default 800). */
  probeTimeoutMs?: number;
}

export class ReplicaPool {
  readonly replicas: Replica[];
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private picks = 0;

  constructor(urls: string[], opts: ReplicaPoolOptions = {}) {
    this.replicas = urls.map((url, i) => ({ url, inFlight: 0, ready: true, lastPicked: i - urls.length }));
    this.probeIntervalMs = opts.probeIntervalMs ?? 1000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 800;
  }

  /** Starts the background probe (idempotent); called on the first request. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probeAll(), this.probeIntervalMs);
    this.timer.unref();
  }

  /** Stops the background probe (tests, shutdown). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The ready replica with the fewest requests in flight among those not in `skip`; of equals, the
   * one picked longest ago. Undefined when none is ready.
   */
  pick(skip: ReadonlySet<Replica>): Replica | undefined {
    let best: Replica | undefined;
    for (const r of this.replicas) {
      if (!r.ready || skip.has(r)) continue;
      if (!best || r.inFlight < best.inFlight || (r.inFlight === best.inFlight && r.lastPicked < best.lastPicked))
        best = r;
    }
    if (best) best.lastPicked = this.picks++;
    return best;
  }

  /** A request found the replica unreachable (refused, reset, cut off): out until /readyz says otherwise. */
  markDown(replica: Replica): void {
    replica.ready = false;
  }

  /** Asks every replica's /readyz once (concurrent calls share one round). */
  probeAll(): Promise<void> {
    this.probing ??= Promise.all(this.replicas.map((r) => this.probe(r))).then(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(replica: Replica): Promise<void> {
    try {
      const res = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(this.probeTimeoutMs) });
      await res.body?.cancel();
      replica.ready = res.ok;
    } catch {
      replica.ready = false;
    }
  }
}
