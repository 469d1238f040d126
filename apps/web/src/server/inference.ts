import { InferenceClient } from '@bgr/inference-client';

let client: InferenceClient | null = null;

/** One client per process; URLs and secret come from INFERENCE_URLS / INFERENCE_PORT / INFERENCE_SECRET. */
export function getInference(): InferenceClient {
  client ??= new InferenceClient();
  return client;
}
