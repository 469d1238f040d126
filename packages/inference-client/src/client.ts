// The typed client the web app uses to talk to the inference service(s) (apps/inference). No image code here.
// Several base URLs (replicas) are used least-busy first among the ready ones (replicas.ts) — a
// render stays with the replica that last rendered the same image while that one is at most one
// request busier (its mask cache holds the image) — with failover on unreachable, cut-off and 503
// answers; when all are busy, 503s are retried after Retry-After a bounded number of times; error
// JSON becomes an InferenceError carrying
// remove.bg's code/status/title/detail so callers can pass it through unchanged. It never reads the
// environment: a process builds its options with readInferenceClientEnv (env.ts) and passes them in.
// A dns+http://NAME:PORT entry is every address NAME resolves to, looked up again every few seconds
// (replicas.ts, discovery.ts): a Kubernetes headless Service's pods, each probed and routed to.
import { createHash } from 'node:crypto';
import { CLIENT_TIMEOUT_MARGIN_MS, DEFAULT_INFERENCE_TIMEOUT_MS } from './env.ts';
import { ERROR_CODES } from './errors.ts';
import type { RenderOptions } from './options.ts';
import {
  type DiscoverySnapshot,
  type LookupAddresses,
  type Replica,
  ReplicaPool,
  type ReplicaSnapshot,
} from './replicas.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

export type { RenderOptions } from './options.ts';
export type { DiscoverySnapshot, LookupAddresses, ReplicaSnapshot, ReplicaState } from './replicas.ts';

export interface RenderResult {
  body: Buffer;
  contentType: string;
  format: 'png' | 'jpg' | 'webp' | 'zip';
  width: number;
  height: number;
  foreground: { top: number; left: number; width: number; height: number };
  inputWidth: number;
  inputHeight: number;
  maskCached: boolean;
  /** Stage timings reported by the service (ms), from Server-Timing. */
  timings: Record<string, number>;
}

export interface ProbeResult {
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
}

export interface HealthResult {
  ok: boolean;
  ready: boolean;
  model: string;
  provider: string;
  threads: number;
  modelRuns: number;
  inFlight: number;
  queueDepth: number;
  [key: string]: unknown;
}

export class InferenceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  constructor(code: string, status: number, title: string, detail?: string) {
    super(detail ?? title);
    this.name = 'InferenceError';
    this.code = code;
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export interface InferenceClientOptions {
  /**
   * Base URLs, at least one (readInferenceClientEnv: INFERENCE_URLS, else http://127.0.0.1:INFERENCE_PORT);
   * dns+http://NAME:PORT (or dns+https://) stands for one replica per address NAME resolves to.
   */
  urls: string[];
  /** Shared secret (x-inference-secret; INFERENCE_SECRET); default none. */
  secret?: string;
  /** Per-attempt limit in ms (INFERENCE_TIMEOUT_MS + 10 s); default 130 s. */
  timeoutMs?: number;
  /** How many times a 503 from every replica is retried after Retry-After (default 3). */
  retries?: number;
  /** The longest Retry-After honoured, in ms (default 15000). */
  maxRetryDelayMs?: number;
  /** How often every replica's /readyz is probed, in ms (default 1000). */
  probeIntervalMs?: number;
  /** How long a /readyz probe may take, in ms (default 800). */
  probeTimeoutMs?: number;
  /** How often the names of dns+ URLs are looked up again, in ms (default 5000). */
  discoveryIntervalMs?: number;
  /** Every address of a dns+ URL's name (default: node:dns lookup with all: true). */
  lookup?: LookupAddresses;
  /** Told when a dns+ name's lookup starts failing (the last set is kept); default console.warn. */
  warn?: (message: string) => void;
  /** The id of the request being served, sent as X-Request-Id when a call names none (web: the request context). */
  requestId?: () => string | undefined;
  /** Told about every attempt on a replica (metrics): which replica, which endpoint, how it ended, how long it took. */
  onAttempt?: (attempt: InferenceAttempt) => void;
  /**
   * Told of a replica that left for good (metrics: drop its series): its address is gone from its
   * dns+ name's answer and its last request has ended (after that request's onAttempt). A URL
   * written as such never leaves; an address that comes back later is a new replica.
   */
  onLeave?: (replica: string) => void;
}

/** One try of one call on one replica. */
export interface InferenceAttempt {
  replica: string;
  /** 'render' | 'probe' | 'healthz' */
  endpoint: string;
  /** 'ok', the service's error code (e.g. 'unknown_format', 'service_unavailable'), 'unreachable', 'timeout' or 'aborted'. */
  outcome: string;
  seconds: number;
}

/** Per call: a signal, and the request id to send (else the client's requestId()). */
export interface CallExtra {
  signal?: AbortSignal;
  requestId?: string;
}

/** How many images the client remembers the last replica of (a few hundred KB). */
const AFFINITY_ENTRIES = 4096;

function known(code: keyof typeof ERROR_CODES, detail: string): InferenceError {
  return new InferenceError(code, ERROR_CODES[code].status, ERROR_CODES[code].title, detail);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export class InferenceClient {
  readonly urls: string[];
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxRetryDelayMs: number;
  private readonly pool: ReplicaPool;
  private readonly currentRequestId: (() => string | undefined) | undefined;
  private readonly onAttempt: ((attempt: InferenceAttempt) => void) | undefined;
  /** Image (sha1) → the replica that last rendered it, whose mask cache holds it; oldest dropped first. */
  private readonly affinity = new Map<string, Replica>();

  constructor(opts: InferenceClientOptions) {
    if (!opts.urls.length) throw new Error('The inference client needs at least one service URL.');
    this.urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
    this.secret = opts.secret ?? '';
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_INFERENCE_TIMEOUT_MS + CLIENT_TIMEOUT_MARGIN_MS;
    this.retries = opts.retries ?? 3;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 15_000;
    this.currentRequestId = opts.requestId;
    this.onAttempt = opts.onAttempt;
    this.pool = new ReplicaPool(this.urls, {
      probeIntervalMs: opts.probeIntervalMs,
      probeTimeoutMs: opts.probeTimeoutMs,
      discoveryIntervalMs: opts.discoveryIntervalMs,
      lookup: opts.lookup,
      warn: opts.warn,
      onLeave: opts.onLeave,
    });
  }

  private remember(key: string, replica: Replica): void {
    this.affinity.delete(key);
    this.affinity.set(key, replica);
    if (this.affinity.size > AFFINITY_ENTRIES) this.affinity.delete(this.affinity.keys().next().value!);
  }

  /**
   * Each replica's URL, state, this client's requests in flight to it and its last probe (read-only
   * copies): the URLs as given, and one per address of each dns+ name's last good lookup (none
   * before the first lookup has ended: ready() waits for it).
   */
  replicas(): ReplicaSnapshot[] {
    return this.pool.snapshot();
  }

  /** Each dns+ URL's last lookup: its replica URLs, when, and why it failed (read-only copies; none without dns+). */
  discovery(): DiscoverySnapshot[] {
    return this.pool.discoverySnapshot();
  }

  /** Starts the /readyz probe (and dns+ lookups) now rather than with the first request, so the state stays current with no traffic. */
  watch(): void {
    this.pool.start();
  }

  /** Stops the background /readyz probe and lookups (they are unref'd, so this is only needed to stop them early). */
  close(): void {
    this.pool.stop();
  }

  async render(
    image: Uint8Array,
    options: RenderOptions,
    extra: {
      bgImage?: Uint8Array;
      /** A person's erase/restore strokes (an @bgr/strokes EditDocument); the service validates it. */
      edit?: unknown;
    } & CallExtra = {},
  ): Promise<RenderResult> {
    let body: Uint8Array = image;
    const headers: Record<string, string> = { 'x-render-options': encodeURIComponent(JSON.stringify(options)) };
    // Body: the image, then the background image, then the edit's JSON (too large for a header).
    const bg = extra.bgImage ?? new Uint8Array(0);
    const edit = extra.edit != null ? new TextEncoder().encode(JSON.stringify(extra.edit)) : new Uint8Array(0);
    if (bg.length > 0 || edit.length > 0) {
      const joined = new Uint8Array(image.length + bg.length + edit.length);
      joined.set(image, 0);
      joined.set(bg, image.length);
      joined.set(edit, image.length + bg.length);
      body = joined;
      headers['x-image-length'] = String(image.length);
      if (edit.length > 0) headers['x-edit-length'] = String(edit.length);
    }
    const res = await this.request('POST', '/v1/render', body, headers, extra, this.retries, image);
    const h = res.headers;
    const num = (name: string) => Number(h.get(name) ?? 0);
    const timings: Record<string, number> = {};
    for (const part of (h.get('server-timing') ?? '').split(',')) {
      const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
      if (m) timings[m[1]!] = Number(m[2]);
    }
    return {
      body: res.body,
      contentType: h.get('content-type') ?? 'application/octet-stream',
      format: (h.get('x-format') ?? 'png') as RenderResult['format'],
      width: num('x-width'),
      height: num('x-height'),
      foreground: {
        top: num('x-foreground-top'),
        left: num('x-foreground-left'),
        width: num('x-foreground-width'),
        height: num('x-foreground-height'),
      },
      inputWidth: num('x-input-width'),
      inputHeight: num('x-input-height'),
      maskCached: h.get('x-mask-cached') === '1',
      timings,
    };
  }

  /** Header-only check (type, size, resolution); throws InferenceError with remove.bg's code. */
  async probe(image: Uint8Array, extra: CallExtra | AbortSignal = {}): Promise<ProbeResult> {
    const res = await this.request(
      'POST',
      '/v1/probe',
      image,
      {},
      extra instanceof AbortSignal ? { signal: extra } : extra,
    );
    const json = JSON.parse(res.body.toString('utf8')) as ProbeResult;
    return { format: json.format, width: json.width, height: json.height };
  }

  /** /healthz of the first replica that answers. */
  async health(): Promise<HealthResult> {
    const res = await this.request('GET', '/healthz', undefined, {}, {}, 0);
    return JSON.parse(res.body.toString('utf8')) as HealthResult;
  }

  /** True when at least one replica is ready (after the first lookup of dns+ names, if any). */
  async ready(): Promise<boolean> {
    await this.pool.discovered();
    await this.pool.probeAll();
    return this.pool.replicas.some((r) => r.listed && r.state === 'ready');
  }

  /**
   * One logical request, read to its last byte inside the attempt so that a replica dying
   * mid-response is retried too: the least-busy ready replica first; a replica that cannot be
   * reached (refused, reset, cut off mid-request) is marked down and the next one tried at once;
   * a 503 moves on to the next one. When every replica is down the call fails at once with
   * service_unavailable; when some answered 503, wait Retry-After (bounded) and go round again.
   * Renders are idempotent, so a retry on another replica is safe: the caller sees one answer.
   */
  private async request(
    method: string,
    path: string,
    body: Uint8Array | undefined,
    headers: Record<string, string>,
    extra: CallExtra = {},
    retries = this.retries,
    affinityOf?: Uint8Array,
  ): Promise<Answer> {
    const signal = extra.signal;
    const requestId = extra.requestId ?? this.currentRequestId?.();
    const endpoint = path.replace(/^\/(v1\/)?/, '');
    const affinityKey = affinityOf ? createHash('sha1').update(affinityOf).digest('base64') : undefined;
    const preferred = affinityKey ? this.affinity.get(affinityKey) : undefined;
    this.pool.start();
    // Only with dns+ URLs: the first call waits for the first lookup (and its replicas' /readyz).
    const discovered = this.pool.discovered();
    if (discovered) await discovered;
    let lastError: InferenceError = known('service_unavailable', 'No inference service is ready.');
    for (let round = 0; round <= retries; round++) {
      let wait = 0;
      let busy = false;
      const tried = new Set<Replica>();
      const unreachable = new Set<Replica>();
      let reprobed = false;
      for (;;) {
        let replica = this.pool.pick(tried, preferred);
        if (!replica && !reprobed) {
          // None left: ask every /readyz once (short timeout) before giving up. A replica that only
          // dropped a reused keep-alive connection, or that came back, answers and is tried again;
          // dns+ names are looked up again first, so pods that replaced the dead ones are found.
          reprobed = true;
          if (this.pool.discovers) await this.pool.discover();
          await this.pool.probeAll();
          for (const r of unreachable) tried.delete(r);
          replica = this.pool.pick(tried, preferred);
        }
        if (!replica) break;
        tried.add(replica);
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
        this.pool.acquire(replica);
        const began = performance.now();
        const tell = (outcome: string) =>
          this.onAttempt?.({ replica: replica!.url, endpoint, outcome, seconds: (performance.now() - began) / 1000 });
        let answer: Answer | undefined;
        let failure: unknown;
        try {
          const res = await fetch(`${replica.url}${path}`, {
            method,
            body: body as BodyInit | undefined,
            headers: {
              ...headers,
              ...(this.secret ? { 'x-inference-secret': this.secret } : {}),
              ...(body ? { 'content-type': 'application/octet-stream' } : {}),
              ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
            },
            signal: combined,
          });
          answer = { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
        } catch (err) {
          failure = err;
        }
        const error = answer && (answer.status < 200 || answer.status >= 300) ? toError(answer) : null;
        // Told before the release: a replica that left the set goes with its last request (onLeave),
        // and nothing may be told of it after that.
        try {
          if (answer) tell(error?.code ?? 'ok');
          else tell(signal?.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'unreachable');
        } finally {
          this.pool.release(replica);
        }
        if (!answer) {
          if (signal?.aborted) throw signal.reason ?? failure;
          if (timeout.aborted) throw known('timeout', 'The inference service did not answer in time.');
          this.pool.markDown(replica);
          unreachable.add(replica);
          lastError = known('service_unavailable', `The inference service at ${replica.url} could not be reached.`);
          continue; // fail over to the next replica
        }
        if (!error) {
          if (affinityKey) this.remember(affinityKey, replica);
          return answer;
        }
        if (error.status === 408) {
          // The replica gave up waiting for our request (its body or headers arrived too slowly,
          // e.g. on a starved machine): nothing ran, so another replica — or this one once more,
          // after the re-probe — may take it.
          unreachable.add(replica);
          lastError = error;
          continue;
        }
        if (error.status !== 503) throw error;
        lastError = error;
        busy = true;
        const after = Number(answer.headers.get('retry-after'));
        wait = Math.max(wait, Number.isFinite(after) && after > 0 ? after * 1000 : 1000);
      }
      // Nobody was busy, everyone was unreachable: waiting would not help.
      if (!busy) throw lastError;
      if (round < retries) await sleep(Math.min(wait || 500, this.maxRetryDelayMs), signal);
    }
    throw lastError;
  }
}

/** One replica's whole answer. */
interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
}

function toError(res: Answer): InferenceError {
  type ErrorJson = { errors?: { code?: string; title?: string; detail?: string }[] };
  let parsed: ErrorJson | null;
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as ErrorJson;
  } catch {
    parsed = null;
  }
  const e = parsed?.errors?.[0];
  if (e?.code) return new InferenceError(e.code, res.status, e.title ?? e.code, e.detail);
  if (res.status === 503) return known('service_unavailable', 'The inference service is busy; try again shortly.');
  if (res.status === 504) return known('timeout', 'The inference service took too long.');
  return known('internal', `The inference service answered ${res.status}.`);
}
