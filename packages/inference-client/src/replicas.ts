// The inference replicas one client knows (INFERENCE_URLS) and which of them may take work now.
// Each replica carries the client's own count of requests in flight to it and a state: ready, down
// (a request or probe found it unreachable, or its /readyz said 503: draining or not loaded) or slow
// (its /readyz did not answer within the probe timeout: hung, or only overloaded). A background probe
// of every replica's /readyz (every second, short timeout) keeps the state current, so a dead,
// draining or hung replica is out within one probe period plus its timeout (< 2 s) and back as soon
// as /readyz answers 200. A slow replica is still tried when no ready one is left, so a busy machine
// whose probes answer late never fails a call that a replica could have served.
// The probe timer is unref'd and starts with the first request (or when a status page asks the
// client to watch), so an idle process is never kept alive by it; snapshot() copies the state out. Choosing is least-busy first, ties to the one picked longest ago, so equal replicas
// share the work — except that a caller may name the replica that last served the same image: it
// is kept while it is at most one request busier than the least-busy one, so the image's mask,
// cached there, is reused instead of running the model again elsewhere.

/** How many more requests in flight a preferred replica (the image's last one) may have than the least busy. */
export const AFFINITY_SLACK = 1;

export type ReplicaState = 'ready' | 'slow' | 'down';

export interface Replica {
  readonly url: string;
  /** Requests this client has in flight to the replica. */
  inFlight: number;
  /** 'ready' takes work; 'slow' only when no ready replica is left; 'down' none, until /readyz answers 200. */
  state: ReplicaState;
  /** When it was last picked (a sequence number), so that ties go to the one waiting longest. */
  lastPicked: number;
  /** When its /readyz last answered or failed (ms since the epoch); null before the first probe. */
  probedAt: number | null;
}

/** A read-only copy of one replica as the probe sees it (status pages; never used to route). */
export interface ReplicaSnapshot {
  readonly url: string;
  readonly state: ReplicaState;
  readonly inFlight: number;
  readonly probedAt: number | null;
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
    this.replicas = urls.map((url, i) => ({
      url,
      inFlight: 0,
      state: 'ready' as ReplicaState,
      lastPicked: i - urls.length,
      probedAt: null,
    }));
    this.probeIntervalMs = opts.probeIntervalMs ?? 1000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 800;
  }

  /** Starts the background probe (idempotent); called on the first request. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probeAll(), this.probeIntervalMs);
    this.timer.unref();
  }

  /** Copies of every replica's state: changing them changes nothing here. */
  snapshot(): ReplicaSnapshot[] {
    return this.replicas.map((r) =>
      Object.freeze({ url: r.url, state: r.state, inFlight: r.inFlight, probedAt: r.probedAt }),
    );
  }

  /** Stops the background probe (tests, shutdown). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The ready replica with the fewest requests in flight among those not in `skip` (of equals, the
   * one picked longest ago); when none is ready, a slow one the same way; `preferred` instead while
   * it is in the same state and at most AFFINITY_SLACK busier. Undefined when none is left.
   */
  pick(skip: ReadonlySet<Replica>, preferred?: Replica): Replica | undefined {
    let chosen = this.leastBusy('ready', skip) ?? this.leastBusy('slow', skip);
    if (
      chosen &&
      preferred &&
      preferred.state === chosen.state &&
      !skip.has(preferred) &&
      preferred.inFlight <= chosen.inFlight + AFFINITY_SLACK
    )
      chosen = preferred;
    if (chosen) chosen.lastPicked = this.picks++;
    return chosen;
  }

  private leastBusy(state: ReplicaState, skip: ReadonlySet<Replica>): Replica | undefined {
    let best: Replica | undefined;
    for (const r of this.replicas) {
      if (r.state !== state || skip.has(r)) continue;
      if (!best || r.inFlight < best.inFlight || (r.inFlight === best.inFlight && r.lastPicked < best.lastPicked))
        best = r;
    }
    return best;
  }

  /** A request found the replica unreachable (refused, reset, cut off): out until /readyz says otherwise. */
  markDown(replica: Replica): void {
    replica.state = 'down';
  }

  /** Asks every replica's /readyz once (concurrent calls share one round). */
  probeAll(): Promise<void> {
    this.probing ??= Promise.all(this.replicas.map((r) => this.probe(r))).then(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(replica: Replica): Promise<void> {
    const timeout = AbortSignal.timeout(this.probeTimeoutMs);
    try {
      const res = await fetch(`${replica.url}/readyz`, { signal: timeout });
      await res.body?.cancel();
      replica.state = res.ok ? 'ready' : 'down';
    } catch {
      replica.state = timeout.aborted ? 'slow' : 'down';
    }
    replica.probedAt = Date.now();
  }
}
