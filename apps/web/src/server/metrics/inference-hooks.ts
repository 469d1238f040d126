/**
 * What the web process's inference client is given so each call is traceable and counted: the
 * current request's id (sent as X-Request-Id, so the inference service's log line carries it),
 * an onAttempt hook feeding bgr_inference_calls_total and bgr_inference_call_duration_seconds,
 * an onLeave hook dropping a replica's series once it has left for good (a dns+ name's pod gone),
 * and the client's warnings (a dns+ name whose lookup fails) as lines of the web app's log.
 */
import type { InferenceClientOptions } from '@bgr/inference-client';
import { currentRequest } from '../logging/context';
import { logger } from '../logging/logger';
import { forgetReplica, webMetrics } from './registry';

export function inferenceHooks(): Pick<InferenceClientOptions, 'requestId' | 'onAttempt' | 'onLeave' | 'warn'> {
  return {
    requestId: () => currentRequest()?.id,
    onAttempt: ({ replica, endpoint, outcome, seconds }) => {
      const m = webMetrics();
      m.inferenceCalls.inc({ replica, endpoint, outcome });
      m.inferenceSeconds.observe({ replica, endpoint }, seconds);
    },
    onLeave: (replica) =>
      void forgetReplica(replica).catch((err: unknown) =>
        logger().warn(`The metrics of inference replica ${replica} could not be dropped: ${String(err)}`),
      ),
    warn: (message) => logger().warn(message),
  };
}
