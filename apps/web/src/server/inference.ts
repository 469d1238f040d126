// The process's one inference client, built from the validated configuration (env.ts). It lives on
// globalThis because Next bundles route handlers and instrumentation apart: the status page must
// read the probe state of the very client that routes renders. It counts render outcomes for the
// status's error rate (status/render-outcomes.ts).
import type { InferenceClient } from '@bgr/inference-client';
import { env } from '~/env';
import { CountedInferenceClient } from './status/render-outcomes';
import { inferenceHooks } from './metrics/inference-hooks';

const KEY = Symbol.for('bgr.web.inferenceClient');
type WithClient = typeof globalThis & { [KEY]?: InferenceClient };

/** One client per process; URLs, secret and timeout from INFERENCE_URLS / INFERENCE_PORT / INFERENCE_SECRET / INFERENCE_TIMEOUT_MS. */
export function getInference(): InferenceClient {
  const g = globalThis as WithClient;
  g[KEY] ??= new CountedInferenceClient({ ...env().inference, ...inferenceHooks() });
  return g[KEY];
}
