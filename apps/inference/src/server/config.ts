// The service's configuration, from the environment (see the README's configuration table).

function int(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number ≥ ${min} (got "${raw}").`);
  return v;
}

export interface ServiceConfig {
  port: number;
  /** INFERENCE_HOST; default 0.0.0.0 with a secret, 127.0.0.1 without. */
  host: string;
  secret: string;
  /** Model runs at once (INFERENCE_CONCURRENCY, default 1). */
  concurrency: number;
  /** Requests that may wait beyond those running (INFERENCE_QUEUE, default 64). */
  queue: number;
  /** Per-request limit, queueing included (INFERENCE_TIMEOUT_MS, default 120000). */
  timeoutMs: number;
  /**
   * The whole request body must arrive within this time, or the request is answered 408 and its
   * slot freed (INFERENCE_BODY_TIMEOUT_MS, default 30000). Omitted: the default.
   */
  bodyTimeoutMs?: number;
}

export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

export function readConfig(): ServiceConfig {
  return {
    port: int('INFERENCE_PORT', 3001),
    // Without a secret the render endpoint is open, so then listen on loopback only.
    host: process.env.INFERENCE_HOST || (process.env.INFERENCE_SECRET ? '0.0.0.0' : '127.0.0.1'),
    secret: process.env.INFERENCE_SECRET ?? '',
    concurrency: int('INFERENCE_CONCURRENCY', 1, 1),
    queue: int('INFERENCE_QUEUE', 64, 0),
    timeoutMs: int('INFERENCE_TIMEOUT_MS', 120_000, 1),
    bodyTimeoutMs: int('INFERENCE_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS, 1),
  };
}
