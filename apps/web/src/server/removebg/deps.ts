/**
 * What the API handlers need from the outside world, passed in so tests can call the handlers
 * in-process with real parts (a real database, a real inference service, a temp storage folder).
 */
import type { Db } from '@bgr/db/client';
import type { RenderOptions } from '@bgr/inference-client/options';
import { env, type WebEnv } from '~/env';
import type { RenderedImage } from './response';

/** The parts of the inference client the API uses. */
export interface InferencePort {
  /** `requestId`: sent as X-Request-Id, so the inference service's log line carries the API call's id. */
  probe(image: Uint8Array, extra?: { requestId?: string }): Promise<{ format: string; width: number; height: number }>;
  render(
    image: Uint8Array,
    options: RenderOptions,
    extra?: { bgImage?: Uint8Array; signal?: AbortSignal; requestId?: string },
  ): Promise<RenderedImage>;
}

export interface StoragePort {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}

export interface ApiDeps {
  db: Db;
  inference: InferencePort;
  storage: StoragePort;
  /** Megapixel-units a minute per user (all their keys together), counted in the database. */
  rateLimitMpu: number;
  /**
   * /improve submissions per user per UTC day, counted in the database (so the limit holds
   * across restarts, replicas and keys).
   */
  improvePerDay: number;
  /** The clock for the /improve day; tests move it, production leaves it unset. */
  now?: () => Date;
  /** Reported by GET /v1.0/account (API_FREE_CALLS). */
  freeCalls: number;
  /** FETCH_ALLOW_HOSTS for image_url / bg_image_url; undefined: env().fetchAllowHosts. */
  allowHosts?: string;
}

export const IMPROVE_PER_DAY = 100;

/** Limits and counters from the validated configuration (API_RATE_LIMIT_MPU, API_FREE_CALLS). */
export function limitsFromEnv(config: WebEnv = env()): Pick<ApiDeps, 'rateLimitMpu' | 'improvePerDay' | 'freeCalls'> {
  return { rateLimitMpu: config.api.rateLimitMpu, improvePerDay: IMPROVE_PER_DAY, freeCalls: config.api.freeCalls };
}

let processDeps: Promise<ApiDeps> | null = null;

/** The process-wide dependencies of the Next.js route handlers. */
export function getApiDeps(): Promise<ApiDeps> {
  processDeps ??= (async () => {
    const [{ getDb }, { getInference }, { getStorage }] = await Promise.all([
      import('@bgr/db/client'),
      import('../inference'),
      import('../storage'),
    ]);
    const blobs = getStorage();
    const storage: StoragePort = { put: (key, bytes) => blobs.put(key, bytes), delete: (key) => blobs.delete(key) };
    return {
      db: await getDb(),
      inference: getInference(),
      storage,
      ...limitsFromEnv(),
    };
  })().catch((err: unknown) => {
    processDeps = null;
    throw err;
  });
  return processDeps;
}
