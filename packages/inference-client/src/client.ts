// The typed client the web app uses to talk to the inference service(s) (apps/inference). No image code here.
// Several base URLs are used round-robin with failover; 503 answers are retried,
// honouring Retry-After, a bounded number of times; error JSON becomes an InferenceError carrying
// remove.bg's code/status/title/detail so callers can pass it through unchanged. It never reads the
// environment: a process builds its options with readInferenceClientEnv (env.ts) and passes them in.
import { CLIENT_TIMEOUT_MARGIN_MS, DEFAULT_INFERENCE_TIMEOUT_MS } from './env.ts';
import { ERROR_CODES } from './errors.ts';
import type { RenderOptions } from './options.ts';

export type { RenderOptions } from './options.ts';

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
  /** Base URLs, at least one (readInferenceClientEnv: INFERENCE_URLS, else http://127.0.0.1:INFERENCE_PORT). */
  urls: string[];
  /** Shared secret (x-inference-secret; INFERENCE_SECRET); default none. */
  secret?: string;
  /** Per-attempt limit in ms (INFERENCE_TIMEOUT_MS + 10 s); default 130 s. */
  timeoutMs?: number;
  /** How many times a 503 from every replica is retried after Retry-After (default 3). */
  retries?: number;
  /** The longest Retry-After honoured, in ms (default 15000). */
  maxRetryDelayMs?: number;
}

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
  private next = 0;

  constructor(opts: InferenceClientOptions) {
    if (!opts.urls.length) throw new Error('The inference client needs at least one service URL.');
    this.urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
    this.secret = opts.secret ?? '';
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_INFERENCE_TIMEOUT_MS + CLIENT_TIMEOUT_MARGIN_MS;
    this.retries = opts.retries ?? 3;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 15_000;
  }

  async render(
    image: Uint8Array,
    options: RenderOptions,
    extra: { bgImage?: Uint8Array; signal?: AbortSignal } = {},
  ): Promise<RenderResult> {
    let body: Uint8Array = image;
    const headers: Record<string, string> = { 'x-render-options': encodeURIComponent(JSON.stringify(options)) };
    if (extra.bgImage) {
      const joined = new Uint8Array(image.length + extra.bgImage.length);
      joined.set(image, 0);
      joined.set(extra.bgImage, image.length);
      body = joined;
      headers['x-image-length'] = String(image.length);
    }
    const res = await this.request('POST', '/v1/render', body, headers, extra.signal);
    const h = res.headers;
    const num = (name: string) => Number(h.get(name) ?? 0);
    const timings: Record<string, number> = {};
    for (const part of (h.get('server-timing') ?? '').split(',')) {
      const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
      if (m) timings[m[1]!] = Number(m[2]);
    }
    return {
      body: Buffer.from(await res.arrayBuffer()),
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
  async probe(image: Uint8Array, signal?: AbortSignal): Promise<ProbeResult> {
    const res = await this.request('POST', '/v1/probe', image, {}, signal);
    const json = (await res.json()) as ProbeResult;
    return { format: json.format, width: json.width, height: json.height };
  }

  /** /healthz of the first replica that answers. */
  async health(): Promise<HealthResult> {
    const res = await this.request('GET', '/healthz', undefined, {}, undefined, 0);
    return (await res.json()) as HealthResult;
  }

  /** True when at least one replica is ready. */
  async ready(): Promise<boolean> {
    for (const url of this.urls) {
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
        await res.body?.cancel();
        if (res.ok) return true;
      } catch {
        // try the next replica
      }
    }
    return false;
  }

  /**
   * One logical request: replicas in round-robin order, failing over on connection errors and
   * 503s; when every replica said 503, wait Retry-After (bounded) and go round again.
   */
  private async request(
    method: string,
    path: string,
    body: Uint8Array | undefined,
    headers: Record<string, string>,
    signal?: AbortSignal,
    retries = this.retries,
  ): Promise<Response> {
    let lastError: InferenceError = known('service_unavailable', 'No inference service could be reached.');
    for (let round = 0; round <= retries; round++) {
      let wait = 0;
      const start = this.next++ % this.urls.length;
      for (let i = 0; i < this.urls.length; i++) {
        const url = this.urls[(start + i) % this.urls.length]!;
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
        let res: Response;
        try {
          res = await fetch(`${url}${path}`, {
            method,
            body: body as BodyInit | undefined,
            headers: {
              ...headers,
              ...(this.secret ? { 'x-inference-secret': this.secret } : {}),
              ...(body ? { 'content-type': 'application/octet-stream' } : {}),
            },
            signal: combined,
          });
        } catch (err) {
          if (signal?.aborted) throw signal.reason ?? err;
          if (timeout.aborted) throw known('timeout', 'The inference service did not answer in time.');
          lastError = known('service_unavailable', `The inference service at ${url} could not be reached.`);
          continue; // fail over to the next replica
        }
        if (res.ok) return res;
        const error = await toError(res);
        if (error.status !== 503) throw error;
        lastError = error;
        const after = Number(res.headers.get('retry-after'));
        wait = Math.max(wait, Number.isFinite(after) && after > 0 ? after * 1000 : 1000);
      }
      if (round < retries) await sleep(Math.min(wait || 500, this.maxRetryDelayMs), signal);
    }
    throw lastError;
  }
}

async function toError(res: Response): Promise<InferenceError> {
  type ErrorJson = { errors?: { code?: string; title?: string; detail?: string }[] };
  let parsed: ErrorJson | null;
  try {
    parsed = (await res.json()) as ErrorJson;
  } catch {
    parsed = null;
  }
  const e = parsed?.errors?.[0];
  if (e?.code) return new InferenceError(e.code, res.status, e.title ?? e.code, e.detail);
  if (res.status === 503) return known('service_unavailable', 'The inference service is busy; try again shortly.');
  if (res.status === 504) return known('timeout', 'The inference service took too long.');
  return known('internal', `The inference service answered ${res.status}.`);
}
