// The process's one inference client, built from the validated configuration (env.ts).
import { InferenceClient } from '@bgr/inference-client';
import { env } from '~/env';
import { inferenceHooks } from './metrics/inference-hooks';

let client: InferenceClient | null = null;

/** One client per process; URLs, secret and timeout from INFERENCE_URLS / INFERENCE_PORT / INFERENCE_SECRET / INFERENCE_TIMEOUT_MS. */
export function getInference(): InferenceClient {
  client ??= new InferenceClient({ ...env().inference, ...inferenceHooks() });
  return client;
}
