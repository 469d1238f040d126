// The HTTP service: one render endpoint, a header probe, health, readiness and metrics.
//
//   POST /v1/render   body: image bytes, optionally followed by a background image
//                     (x-image-length: bytes of the first part) and by a person's erase/restore
//                     strokes as JSON (x-edit-length: bytes of that last part, at most 256 KB);
//                     x-render-options: URI-encoded JSON RenderOptions; x-inference-secret.
//                     200: the result, metadata in x-* headers.
//   POST /v1/probe    body: image bytes → {format,width,height} (header-only; same secret).
//   GET  /healthz     provider, model, threads, counters (no secret)
//   GET  /readyz      200 once the model is loaded and while not draining (no secret)
//   GET  /v1/stats    JSON for the admin System page: in flight, queued, p50/p95 over the last hour, last 5xx (secret; stats.ts)
//   GET  /metrics     Prometheus text; only with `Authorization: Bearer <METRICS_TOKEN>` (401 without),
//                     404 when METRICS_TOKEN is unset
//
// Errors: {errors:[{code,title,detail}]} with remove.bg's codes and statuses. Every answer carries
// X-Request-Id (the caller's when safe, else a new one) and writes one JSON log line (log.ts).
import { timingSafeEqual, createHash } from 'node:crypto';
import http from 'node:http';
import { ERROR_CODES, RenderError, type ErrorCode } from '@bgr/inference-client/errors';
import { metricsAccess } from '@bgr/inference-client/metrics-auth';
import { MAX_UPLOAD_BYTES, SIZES } from '@bgr/inference-client/options';
import { MAX_EDIT_BYTES } from '@bgr/strokes';
import { REQUEST_ID_HEADER, requestIdFrom } from '@bgr/inference-client/request-id';
import type { Pipeline, RenderOutput } from '../pipeline/render.ts';
import { Semaphore } from '../util/semaphore.ts';
import { DEFAULT_BODY_TIMEOUT_MS, type ServiceConfig } from './config.ts';
import { type Logger, silentLogger } from './log.ts';
import { Counter, Gauge, Histogram, Registry } from './metrics.ts';
import { RenderStats } from './stats.ts';

const MAX_BODY = 2 * MAX_UPLOAD_BYTES + MAX_EDIT_BYTES + 64 * 1024;
/** How long a draining replica waits for its renders in flight before it closes anyway. */
export const DRAIN_GRACE_MS = 30_000;

export interface InferenceService {
  server: http.Server;
  metrics: Registry;
  /** Renders admitted and not finished (running or waiting). */
  readonly active: number;
  /**
   * Stops taking work (/readyz and new renders answer 503 at once, still listening, so clients and
   * load balancers see it go), waits for the renders in flight — at most `graceMs`, default 30 s —
   * then closes the server.
   */
  drain(graceMs?: number): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The error code a request ended with, for its log line. */
const outcomes = new WeakMap<http.ServerResponse, string>();

function sendError(res: http.ServerResponse, err: RenderError, headers: Record<string, string> = {}) {
  outcomes.set(res, err.code);
  if (res.headersSent) return res.destroy();
  // The rest of a timed-out body is never read: answer, then close the connection.
  sendJson(
    res,
    err.status,
    err.toBody(),
    err.code === 'request_timeout' ? { ...headers, connection: 'close' } : headers,
  );
}

function notFound(path: string) {
  return { errors: [{ code: 'not_found', title: ERROR_CODES.not_found.title, detail: `There is no ${path} here.` }] };
}

function fail(code: ErrorCode, detail: string): RenderError {
  return new RenderError(code, detail);
}

/**
 * Reads the request body up to `limit` bytes; larger bodies fail with file_too_large. The whole
 * body must arrive within `timeoutMs` (a slow or stalled sender would otherwise hold its slot
 * forever): past it the read stops with request_timeout (408).
 */
function readBody(req: http.IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(
        fail(
          'file_too_large',
          `The upload is ${(declared / 1048576).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1048576} MB.`,
        ),
      );
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (err: RenderError) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      reject(err);
    };
    const timer = setTimeout(() => {
      req.pause();
      stop(fail('request_timeout', `The request body did not arrive within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop(fail('file_too_large', `The upload is larger than the ${MAX_UPLOAD_BYTES / 1048576} MB limit.`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (!secret) return true;
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

function resultHeaders(out: RenderOutput): Record<string, string> {
  const t = out.timings;
  return {
    'content-type': out.contentType,
    'content-length': String(out.body.length),
    'x-format': out.format,
    'x-width': String(out.width),
    'x-height': String(out.height),
    'x-input-width': String(out.inputWidth),
    'x-input-height': String(out.inputHeight),
    'x-foreground-top': String(out.foreground.top),
    'x-foreground-left': String(out.foreground.left),
    'x-foreground-width': String(out.foreground.width),
    'x-foreground-height': String(out.foreground.height),
    'x-mask-cached': out.maskCached ? '1' : '0',
    'server-timing': Object.entries(t)
      .map(([stage, ms]) => `${stage};dur=${(ms ?? 0).toFixed(1)}`)
      .join(', '),
  };
}

/** What the service writes its request log to (main.ts: stdout at LOG_LEVEL; default: nothing). */
export interface ServiceOptions {
  log?: Logger;
}

/** One JSON line per request: its id, method, path, status, duration and outcome (never image bytes or secrets). */
function logRequest(
  log: Logger,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  id: string,
  started: number,
) {
  const status = res.statusCode;
  const probe = path === '/healthz' || path === '/readyz';
  const level = !res.writableFinished || status >= 500 ? 'error' : probe ? 'debug' : 'info';
  log[level](
    {
      reqId: id,
      method: req.method,
      path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      outcome: outcomes.get(res) ?? (res.writableFinished ? (status < 400 ? 'ok' : 'error') : 'aborted'),
    },
    'request',
  );
}

export function createInferenceService(
  pipeline: Pipeline,
  config: ServiceConfig,
  options: ServiceOptions = {},
): InferenceService {
  const log = options.log ?? silentLogger;
  const metrics = new Registry();
  const requests = metrics.add(new Counter('inference_requests_total', 'Requests by endpoint and status code.'));
  const images = metrics.add(
    new Counter('inference_images_total', 'Rendered images by size class (the requested size).'),
  );
  const errors = metrics.add(new Counter('inference_errors_total', 'Failed renders by error code.'));
  const latency = metrics.add(
    new Histogram(
      'inference_render_seconds',
      'Whole render time, queueing included.',
      [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
    ),
  );
  const stages = metrics.add(
    new Histogram(
      'inference_stage_seconds',
      'Time per pipeline stage.',
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    ),
  );
  const bodyTimeoutMs = config.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const renderGate = new Semaphore(config.concurrency + 1); // one render may do pixel work while another runs the model
  let active = 0;
  let draining = false;
  let ready = true;
  const drainWaiters: (() => void)[] = [];

  metrics.add(new Gauge('inference_queue_depth', 'Renders admitted but not yet started.', () => renderGate.waiting));
  metrics.add(new Gauge('inference_in_flight', 'Renders admitted and not finished.', () => active));
  metrics.add(
    new Gauge('inference_model_queue_depth', 'Renders waiting for the model.', () => pipeline.modelGate.waiting),
  );
  metrics.add(new Gauge('inference_model_runs_total', 'Model runs since start.', () => pipeline.model.runs));
  const cacheGauge = (field: 'hits' | 'misses' | 'inflightJoins' | 'bytes' | 'entries') => () =>
    pipeline.cache.stats()[field];
  metrics.add(new Gauge('inference_mask_cache_hits_total', 'Mask cache hits.', cacheGauge('hits')));
  metrics.add(
    new Gauge(
      'inference_mask_cache_inflight_joins_total',
      'Requests that joined a model run already in flight.',
      cacheGauge('inflightJoins'),
    ),
  );
  metrics.add(
    new Gauge('inference_mask_cache_misses_total', 'Mask cache misses (model runs started).', cacheGauge('misses')),
  );
  metrics.add(new Gauge('inference_mask_cache_bytes', 'Bytes held by the mask cache.', cacheGauge('bytes')));
  metrics.add(
    new Gauge('inference_model_info', 'The loaded model and execution provider.', () => [
      {
        labels: {
          model: pipeline.model.info.model,
          provider: pipeline.model.info.provider,
          threads: String(pipeline.model.info.threads),
        },
        value: 1,
      },
    ]),
  );
  // Stage timings come from the pipeline's hook.
  const previousHook = pipeline.hooks.onStage;
  pipeline.hooks.onStage = (stage, ms) => {
    stages.observe(ms / 1000, { stage });
    previousHook?.(stage, ms);
  };

  const retryAfter = () => {
    const mean = latency.mean({}) ?? 5;
    return String(Math.max(1, Math.min(120, Math.ceil((mean * (renderGate.waiting + 1)) / config.concurrency))));
  };

  const health = () => ({
    ok: true,
    ready: ready && !draining,
    model: pipeline.model.info.model,
    provider: pipeline.model.info.provider,
    threads: pipeline.model.info.threads,
    inputSize: pipeline.model.info.inputSize,
    modelRuns: pipeline.model.runs,
    concurrency: config.concurrency,
    queueLimit: config.queue,
    inFlight: active,
    queueDepth: renderGate.waiting,
    cache: pipeline.cache.stats(),
    sizes: SIZES,
  });
  const stats = new RenderStats(health);

  async function handleRender(req: http.IncomingMessage, res: http.ServerResponse, kind: 'render' | 'probe') {
    if (!secretMatches(req.headers['x-inference-secret'], config.secret)) {
      return sendError(res, fail('unauthorized', 'The x-inference-secret header is missing or wrong.'));
    }
    if (draining) {
      return sendError(res, fail('service_unavailable', 'The inference service is shutting down; try again shortly.'), {
        'retry-after': '1',
      });
    }
    // A probe reads headers only, so it is answered even when the render queue is full.
    if (kind === 'render' && active >= config.concurrency + config.queue) {
      return sendError(res, fail('service_unavailable', 'The inference service is busy; try again shortly.'), {
        'retry-after': retryAfter(),
      });
    }
    if (kind === 'probe') {
      try {
        const info = await pipeline.probe(await readBody(req, MAX_UPLOAD_BYTES + 1, bodyTimeoutMs));
        return sendJson(res, 200, {
          format: info.format,
          width: info.width,
          height: info.height,
          hasAlpha: info.hasAlpha,
        });
      } catch (err) {
        const e =
          err instanceof RenderError
            ? err
            : fail('internal', 'The image could not be probed because of an internal error.');
        errors.inc({ code: e.code });
        return sendError(res, e);
      }
    }
    active++;
    // Counted until the response has been handed to the socket, so draining never cuts it off.
    res.once('close', () => {
      active--;
      if (active === 0) for (const f of drainWaiters.splice(0)) f();
    });
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const body = await readBody(req, MAX_BODY, bodyTimeoutMs);
      let options: unknown = {};
      const header = req.headers['x-render-options'];
      if (typeof header === 'string' && header) {
        try {
          options = JSON.parse(decodeURIComponent(header));
        } catch {
          throw fail('invalid_options', 'The x-render-options header is not URI-encoded JSON.');
        }
      }
      let rest: Uint8Array = body;
      let edit: unknown;
      const editHeader = req.headers['x-edit-length'];
      if (typeof editHeader === 'string') {
        const n = Number(editHeader);
        if (!Number.isInteger(n) || n < 0 || n > body.length)
          throw fail('invalid_options', 'The x-edit-length header does not match the body.');
        if (n > MAX_EDIT_BYTES)
          throw fail(
            'invalid_options',
            `An edit may be at most ${MAX_EDIT_BYTES / 1024} KB; this one is ${Math.ceil(n / 1024)} KB.`,
          );
        try {
          edit = JSON.parse(Buffer.from(body.subarray(body.length - n)).toString('utf8'));
        } catch {
          throw fail('invalid_options', 'The edit is not JSON.');
        }
        rest = body.subarray(0, body.length - n);
      }
      const lengthHeader = req.headers['x-image-length'];
      let bytes: Uint8Array = rest;
      let bgImage: Uint8Array | undefined;
      if (typeof lengthHeader === 'string') {
        const n = Number(lengthHeader);
        if (!Number.isInteger(n) || n < 0 || n > rest.length)
          throw fail('invalid_options', 'The x-image-length header does not match the body.');
        bytes = rest.subarray(0, n);
        if (n < rest.length) bgImage = rest.subarray(n);
      }
      if (bytes.length > MAX_UPLOAD_BYTES)
        throw fail(
          'file_too_large',
          `The image is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1048576} MB.`,
        );

      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => {
            controller.abort();
            reject(fail('timeout', `The image took longer than ${Math.round(config.timeoutMs / 1000)} s to process.`));
          },
          Math.max(0, config.timeoutMs - (performance.now() - started)),
        );
      });
      const work = renderGate.use(async () => {
        if (controller.signal.aborted) throw fail('timeout', 'The image waited too long in the queue.');
        return pipeline.render({ bytes, options, bgImage, edit, signal: controller.signal });
      });
      work.catch(() => {});
      const out = await Promise.race([work, timeout]);
      images.inc({ size: out.size });
      latency.observe((performance.now() - started) / 1000);
      stats.rendered(performance.now() - started);
      res.writeHead(200, resultHeaders(out));
      res.end(out.body);
    } catch (err) {
      const e =
        err instanceof RenderError
          ? err
          : fail('internal', 'The image could not be processed because of an internal error.');
      if (!(err instanceof RenderError)) console.error(`inference: internal error: ${(err as Error)?.stack ?? err}`);
      errors.inc({ code: e.code });
      stats.failed(e);
      sendError(res, e, e.code === 'service_unavailable' ? { 'retry-after': retryAfter() } : {});
    } finally {
      clearTimeout(timer);
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname}`;
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const started = performance.now();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once('close', () => logRequest(log, req, res, url.pathname, requestId, started));
    res.on('finish', () =>
      requests.inc({
        endpoint: url.pathname.startsWith('/v1/')
          ? url.pathname
          : url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/metrics'
            ? url.pathname
            : 'other',
        code: String(res.statusCode),
      }),
    );
    switch (route) {
      case 'POST /v1/render':
        return void handleRender(req, res, 'render');
      case 'POST /v1/probe':
        return void handleRender(req, res, 'probe');
      case 'GET /healthz':
        return sendJson(res, 200, health());
      case 'GET /v1/stats':
        return stats.handle(res, secretMatches(req.headers['x-inference-secret'], config.secret));
      case 'GET /readyz':
        return ready && !draining ? sendJson(res, 200, { ready: true }) : sendJson(res, 503, { ready: false });
      case 'GET /metrics': {
        const access = metricsAccess(req.headers.authorization, config.metricsToken);
        if (access === 'not_found') return sendJson(res, 404, notFound(url.pathname));
        if (access === 'unauthorized')
          return sendJson(
            res,
            401,
            {
              errors: [
                {
                  code: 'unauthorized',
                  title: 'Unauthorized',
                  detail: 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.',
                },
              ],
            },
            { 'www-authenticate': 'Bearer' },
          );
        const text = metrics.render();
        res.writeHead(200, {
          'content-type': 'text/plain; version=0.0.4; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        return void res.end(text);
      }
      default: {
        req.resume();
        const known = ['/v1/render', '/v1/probe', '/healthz', '/readyz', '/metrics'].includes(url.pathname);
        if (known) return sendJson(res, 405, { errors: [{ code: 'method_not_allowed', title: 'Method not allowed' }] });
        return sendJson(res, 404, notFound(url.pathname));
      }
    }
  });
  server.requestTimeout = 0; // the per-request render timeout applies instead
  server.headersTimeout = 60_000;

  return {
    server,
    metrics,
    get active() {
      return active;
    },
    async drain(graceMs = DRAIN_GRACE_MS) {
      draining = true;
      ready = false;
      if (active > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => drainWaiters.push(resolve)),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections become idle once their last response is out; close them as they
      // do, and cut whatever is left after a short grace period.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
    },
  };
}
