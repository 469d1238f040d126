// The service's configuration, from the environment (see the README's configuration table): every
// variable the service reads is checked here, once, at start; a bad value stops it with one
// sentence naming the variable. The values are then passed in (pipeline, cache, model session,
// registry); nothing else in src reads the environment.
import { resolve } from 'node:path';
import { envProblem, wholeNumberVar } from '@bgr/inference-client/env';
import { z } from 'zod';
import { DEFAULT_MASK_CACHE_MB } from '../cache/mask-cache.ts';
import { DEFAULT_MODEL, DEFAULT_MODELS_DIR } from '../model/registry.ts';
import type { Device } from '../model/session.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';

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
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`; unset (default): /metrics is 404. */
  metricsToken?: string | undefined;
}

/** The HTTP settings above plus what the model, registry and cache are built with. */
export interface InferenceConfig extends ServiceConfig {
  bodyTimeoutMs: number;
  /** INFERENCE_DEVICE: auto (default), cpu, webgpu or cuda. */
  device: Device;
  /** INFERENCE_THREADS; 0 (default) = ONNX Runtime's own choice. */
  threads: number;
  /** INFERENCE_IMAGE_THREADS: libvips threads per image operation; 0 (default) = one per core. */
  imageThreads: number;
  /** INFERENCE_MODEL (default medium). */
  model: string;
  /** INFERENCE_MODELS_FILE: a JSON registry of extra models; undefined = built-ins only. */
  modelsFile: string | undefined;
  /** MODELS_DIR, resolved (default <repo>/models). */
  modelsDir: string;
  /** MASK_CACHE_MB in bytes (default 256 MB). */
  maskCacheBytes: number;
  /** INFERENCE_SKIP_MODEL_HASH=1: check model file sizes only at start. */
  skipModelHash: boolean;
  metricsToken: string | undefined;
  /** LOG_LEVEL: what the JSON request log writes (default info). */
  logLevel: LogLevel;
}

export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

const DEVICES = ['auto', 'cpu', 'webgpu', 'cuda'] as const;

/** A variable whose empty value means "unset". */
const text = () =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === '' ? undefined : raw));

export const inferenceEnvSchema = z.object({
  INFERENCE_PORT: wholeNumberVar('INFERENCE_PORT', 3001, 0),
  INFERENCE_HOST: text(),
  INFERENCE_SECRET: z.string().optional(),
  INFERENCE_CONCURRENCY: wholeNumberVar('INFERENCE_CONCURRENCY', 1, 1),
  INFERENCE_QUEUE: wholeNumberVar('INFERENCE_QUEUE', 64, 0),
  INFERENCE_TIMEOUT_MS: wholeNumberVar('INFERENCE_TIMEOUT_MS', 120_000, 1),
  INFERENCE_BODY_TIMEOUT_MS: wholeNumberVar('INFERENCE_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS, 1),
  INFERENCE_DEVICE: text().transform((raw, ctx) => {
    if (raw === undefined) return 'auto';
    if ((DEVICES as readonly string[]).includes(raw)) return raw as Device;
    ctx.addIssue({ code: 'custom', message: `INFERENCE_DEVICE must be auto, cpu, webgpu or cuda (got "${raw}").` });
    return z.NEVER;
  }),
  INFERENCE_THREADS: wholeNumberVar('INFERENCE_THREADS', 0, 0),
  INFERENCE_IMAGE_THREADS: wholeNumberVar('INFERENCE_IMAGE_THREADS', 0, 0),
  INFERENCE_MODEL: text().transform((raw) => raw ?? DEFAULT_MODEL),
  INFERENCE_MODELS_FILE: text(),
  MODELS_DIR: text().transform((raw) => resolve(raw ?? DEFAULT_MODELS_DIR)),
  MASK_CACHE_MB: text().transform((raw, ctx) => {
    if (raw === undefined) return DEFAULT_MASK_CACHE_MB;
    const mb = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(mb) || mb < 0) {
      ctx.addIssue({ code: 'custom', message: `MASK_CACHE_MB must be a number ≥ 0 (got "${raw}").` });
      return z.NEVER;
    }
    return mb;
  }),
  INFERENCE_SKIP_MODEL_HASH: text().transform((raw, ctx) => {
    if (raw === undefined || raw === '0') return false;
    if (raw === '1') return true;
    ctx.addIssue({
      code: 'custom',
      message: `INFERENCE_SKIP_MODEL_HASH must be 1 (skip the sha256) or unset (got "${raw}").`,
    });
    return z.NEVER;
  }),
  METRICS_TOKEN: text(),
  LOG_LEVEL: text().transform((raw, ctx) => {
    if (raw === undefined) return 'info' as LogLevel;
    const level = raw.trim().toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
    ctx.addIssue({ code: 'custom', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}").` });
    return z.NEVER;
  }),
});

/** The service's configuration from `env`; throws one sentence naming the variable when a value is bad. */
export function readConfig(env: Record<string, string | undefined> = process.env): InferenceConfig {
  const parsed = inferenceEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(envProblem(parsed.error));
  const e = parsed.data;
  return {
    port: e.INFERENCE_PORT,
    // Without a secret the render endpoint is open, so then listen on loopback only.
    host: e.INFERENCE_HOST ?? (e.INFERENCE_SECRET ? '0.0.0.0' : '127.0.0.1'),
    secret: e.INFERENCE_SECRET ?? '',
    concurrency: e.INFERENCE_CONCURRENCY,
    queue: e.INFERENCE_QUEUE,
    timeoutMs: e.INFERENCE_TIMEOUT_MS,
    bodyTimeoutMs: e.INFERENCE_BODY_TIMEOUT_MS,
    device: e.INFERENCE_DEVICE,
    threads: e.INFERENCE_THREADS,
    imageThreads: e.INFERENCE_IMAGE_THREADS,
    model: e.INFERENCE_MODEL,
    modelsFile: e.INFERENCE_MODELS_FILE,
    modelsDir: e.MODELS_DIR,
    maskCacheBytes: e.MASK_CACHE_MB * 1024 * 1024,
    skipModelHash: e.INFERENCE_SKIP_MODEL_HASH,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}
