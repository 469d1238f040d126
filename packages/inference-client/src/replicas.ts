// The inference replicas one client knows (INFERENCE_URLS) and which of them may take work now.
// Each replica carries the client's own count of requests in flight to it and a state: ready, down
// (a request or probe found it unreachable, or its /readyz said 503: draining or not loaded) or slow
// (its /readyz did not answer within the probe timeout: hung, or only overloaded). A background probe
// of every replica's /readyz (every second, short timeout) keeps the state current, so a dead,
// draining or hung replica is out within one probe period plus its timeout (< 2 s) and back as soon
// as /readyz answers 200. A slow replica is still tried when no ready one is left, so a busy machine
// whose probes answer late never fails a call that a replica could have served.
// An entry written dns+http://NAME:PORT (discovery.ts) is not one replica but one per address NAME
// resolves to, looked up at start and every few seconds: a new address joins as down and takes
// work once its /readyz has answered 200; an address gone from the answer takes no new work and
// leaves when its last request in flight ends (a request that finishes on it still succeeds), and
// onLeave is told then, so that what is kept per replica elsewhere (the web app's metrics) goes too;
// a failed lookup keeps the last set and is kept as the entry's error (discovery(), a warning).
// A URL written as such is configured, not discovered: it never leaves, however long it is down.
// The timers are unref'd and start with the first request (or when a status page asks the client
// to watch), so an idle process is never kept alive by them; snapshot() copies the state out.
// Choosing is least-busy first, ties to the one picked longest ago, so equal replicas
// share the work — except that a caller may name the replica that last served the same image: it
// is kept while it is at most one request busier than the least-busy one, so the image's mask,
// cached there, is reused instead of running the model again elsewhere.
import { lookup as dnsLookup } from 'node:dns/promises';
import { type DiscoveryTarget, isDiscoveryUrl, parseDiscoveryUrl } from './discovery.ts';

/** How many more requests in flight a preferred replica (the image's last one) may have than the least busy. */
export const AFFINITY_SLACK = 1;

/** How often the names of dns+ entries are looked up again (ms). */
export const DEFAULT_DISCOVERY_INTERVAL_MS = 5000;
/** How long one lookup may take before it counts as failed (getaddrinfo has no limit of its own). */
export const LOOKUP_TIMEOUT_MS = 5000;

export type ReplicaState = 'ready' | 'slow' | 'down';

/** Every address of a host name (IPv4 and IPv6 literals); rejects when the name does not resolve. */
export type LookupAddresses = (name: string) => Promise<string[]>;

/** The system resolver (getaddrinfo: /etc/hosts, the search domains, the cluster's DNS), every address. */
export const systemLookup: LookupAddresses = async (name) =>
  (await dnsLookup(name, { all: true })).map((a) => a.address);

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
  /** False once its address left the name's answer: no new work; dropped when its last request ends. */
  listed: boolean;
}

/** A read-only copy of one replica as the probe sees it (status pages; never used to route). */
export interface ReplicaSnapshot {
  readonly url: string;
  readonly state: ReplicaState;
  readonly inFlight: number;
  readonly probedAt: number | null;
}

/** A read-only copy of one dns+ entry's last lookup (status pages, logs). */
export interface DiscoverySnapshot {
  /** The entry as configured, e.g. dns+http://bgr-inference-pods:3001. */
  readonly url: string;
  readonly name: string;
  /** The replica URLs of its last good answer (kept through failed lookups). */
  readonly replicas: readonly string[];
  /** When it was last looked up (ms since the epoch); null before the first lookup ended. */
  readonly lookedUpAt: number | null;
  /** Why the last lookup failed (the set above is the one before it); null when it answered. */
  readonly error: string | null;
}

export interface ReplicaPoolOptions {
  /** How often every replica's /readyz is asked (ms; default 1000). */
  probeIntervalMs?: number;
  /** How long one /readyz may take before the replica counts as not ready (ms; default 800). */
  probeTimeoutMs?: number;
  /** How often dns+ names are looked up again (ms; default 5000). */
  discoveryIntervalMs?: number;
  /** Resolves a dns+ entry's name to its addresses (default: systemLookup). */
  lookup?: LookupAddresses;
  /** Told when a lookup starts failing or fails differently (default console.warn). */
  warn?: (message: string) => void;
  /** Told of a replica that left the set for good: gone from its name's answer, its last request ended. */
  onLeave?: (url: string) => void;
}

/** One dns+ entry and what its last lookups gave. */
interface Discovered {
  readonly target: DiscoveryTarget;
  /** Replica URLs of the last good answer, sorted. */
  urls: string[];
  lookedUpAt: number | null;
  error: string | null;
}

/** Entries of INFERENCE_URLS in order: a replica URL, or a name to discover replicas by. */
type Entry = { url: string } | { discovered: Discovered };

export class ReplicaPool {
  /** The replicas in the set (listed) and those that left it but still finish a request, in entry order. */
  readonly replicas: Replica[] = [];
  private readonly entries: Entry[];
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private readonly discoveryIntervalMs: number;
  private readonly lookup: LookupAddresses;
  private readonly warn: (message: string) => void;
  private readonly onLeave: ((url: string) => void) | undefined;
  private timer: NodeJS.Timeout | null = null;
  private discoveryTimer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private discovering: Promise<void> | null = null;
  private firstDiscovery: Promise<void> | null = null;
  private picks = 0;

  /** `urls`: replica URLs and dns+ entries (a dns+ entry that does not parse throws its sentence). */
  constructor(urls: string[], opts: ReplicaPoolOptions = {}) {
    this.entries = urls.map((url): Entry => {
      if (!isDiscoveryUrl(url)) return { url };
      const target = parseDiscoveryUrl(url);
      if (typeof target === 'string') throw new Error(target);
      return { discovered: { target, urls: [], lookedUpAt: null, error: null } };
    });
    const fixed = this.entries.flatMap((e) => ('url' in e ? [e.url] : []));
    fixed.forEach((url, i) => {
      if (this.replicas.some((r) => r.url === url)) return;
      this.replicas.push({
        url,
        inFlight: 0,
        state: 'ready',
        lastPicked: i - fixed.length,
        probedAt: null,
        listed: true,
      });
    });
    this.probeIntervalMs = opts.probeIntervalMs ?? 1000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 800;
    this.discoveryIntervalMs = opts.discoveryIntervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS;
    this.lookup = opts.lookup ?? systemLookup;
    this.warn = opts.warn ?? ((message) => console.warn(message));
    this.onLeave = opts.onLeave;
  }

  /** True when some entry is a dns+ name. */
  get discovers(): boolean {
    return this.entries.some((e) => 'discovered' in e);
  }

  /** Starts the background probe and lookups (idempotent); called on the first request. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probeAll(), this.probeIntervalMs);
    this.timer.unref();
    if (!this.discovers) return;
    void this.discovered();
    this.discoveryTimer = setInterval(() => void this.discover(), this.discoveryIntervalMs);
    this.discoveryTimer.unref();
  }

  /** Copies of every replica in the set: changing them changes nothing here. */
  snapshot(): ReplicaSnapshot[] {
    return this.replicas
      .filter((r) => r.listed)
      .map((r) => Object.freeze({ url: r.url, state: r.state, inFlight: r.inFlight, probedAt: r.probedAt }));
  }

  /** Copies of every dns+ entry's last lookup, in entry order (none without dns+ entries). */
  discoverySnapshot(): DiscoverySnapshot[] {
    return this.entries.flatMap((e) =>
      'discovered' in e
        ? [
            Object.freeze({
              url: e.discovered.target.url,
              name: e.discovered.target.name,
              replicas: Object.freeze([...e.discovered.urls]),
              lookedUpAt: e.discovered.lookedUpAt,
              error: e.discovered.error,
            }),
          ]
        : [],
    );
  }

  /** Stops the background probe and lookups (tests, shutdown). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.discoveryTimer) clearInterval(this.discoveryTimer);
    this.timer = null;
    this.discoveryTimer = null;
  }

  /**
   * The ready replica with the fewest requests in flight among those not in `skip` (of equals, the
   * one picked longest ago); when none is ready, a slow one the same way; `preferred` instead while
   * it is in the set, in the same state and at most AFFINITY_SLACK busier. Undefined when none is left.
   */
  pick(skip: ReadonlySet<Replica>, preferred?: Replica): Replica | undefined {
    let chosen = this.leastBusy('ready', skip) ?? this.leastBusy('slow', skip);
    if (
      chosen &&
      preferred?.listed &&
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
      if (!r.listed || r.state !== state || skip.has(r)) continue;
      if (!best || r.inFlight < best.inFlight || (r.inFlight === best.inFlight && r.lastPicked < best.lastPicked))
        best = r;
    }
    return best;
  }

  /** A request to the replica begins. */
  acquire(replica: Replica): void {
    replica.inFlight++;
  }

  /** A request to the replica ended; one that left the set goes with its last request (onLeave is told). */
  release(replica: Replica): void {
    replica.inFlight--;
    if (!replica.listed && replica.inFlight <= 0) {
      const at = this.replicas.indexOf(replica);
      if (at >= 0) {
        this.replicas.splice(at, 1);
        this.onLeave?.(replica.url);
      }
    }
  }

  /** A request found the replica unreachable (refused, reset, cut off): out until /readyz says otherwise. */
  markDown(replica: Replica): void {
    replica.state = 'down';
  }

  /** Asks every replica's /readyz once (concurrent calls share one round). */
  probeAll(): Promise<void> {
    this.probing ??= Promise.all(this.replicas.filter((r) => r.listed).map((r) => this.probe(r))).then(() => {
      this.probing = null;
    });
    return this.probing;
  }

  /** The first lookup of the dns+ names, with its joiners probed (started on first call); null without dns+ entries. */
  discovered(): Promise<void> | null {
    if (!this.discovers) return null;
    this.firstDiscovery ??= this.discover();
    return this.firstDiscovery;
  }

  /**
   * Looks every dns+ name up once (concurrent calls share one round) and makes the set one replica
   * per address: joiners are probed before this resolves; a failed lookup keeps that entry's last set.
   */
  discover(): Promise<void> {
    this.discovering ??= this.lookupAll().finally(() => {
      this.discovering = null;
    });
    return this.discovering;
  }

  private async lookupAll(): Promise<void> {
    const discovered = this.entries.flatMap((e) => ('discovered' in e ? [e.discovered] : []));
    await Promise.all(discovered.map((d) => this.lookupOne(d)));
    const joined = this.reconcile();
    await Promise.all(joined.map((r) => this.probe(r)));
  }

  private async lookupOne(d: Discovered): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const addresses = [...new Set(await Promise.race([this.lookup(d.target.name), timeout]))];
      if (!addresses.length) throw new Error('no addresses');
      d.urls = addresses.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((a) => d.target.replicaUrl(a));
      d.error = null;
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message ?? String(err);
      const error = `The lookup of ${d.target.name} failed (${reason}); keeping its ${d.urls.length} replica(s).`;
      if (error !== d.error) this.warn(`inference-client: ${error}`);
      d.error = error;
    } finally {
      clearTimeout(timer);
      d.lookedUpAt = Date.now();
    }
  }

  /** Makes the set what the entries say now; returns the replicas that joined it. */
  private reconcile(): Replica[] {
    const wanted = [...new Set(this.entries.flatMap((e) => ('url' in e ? [e.url] : e.discovered.urls)))];
    const current = new Map(this.replicas.map((r) => [r.url, r]));
    const joined: Replica[] = [];
    const next: Replica[] = wanted.map((url) => {
      const known = current.get(url);
      current.delete(url);
      if (known) {
        known.listed = true; // still there, or back before its last request ended
        return known;
      }
      // Down until its /readyz answers; never picked, so first among equals once ready.
      const replica: Replica = {
        url,
        inFlight: 0,
        state: 'down',
        lastPicked: Number.NEGATIVE_INFINITY,
        probedAt: null,
        listed: true,
      };
      joined.push(replica);
      return replica;
    });
    const left: string[] = [];
    for (const gone of current.values()) {
      gone.listed = false;
      // One still busy stays until release() sees its last request end, and leaves then.
      if (gone.inFlight > 0) next.push(gone);
      else left.push(gone.url);
    }
    this.replicas.splice(0, this.replicas.length, ...next);
    for (const url of left) this.onLeave?.(url);
    return joined;
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
