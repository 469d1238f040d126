/**
 * The status rule, as a pure function of what the checks found (the issue's words):
 *   down        no inference replica is ready, or the database or storage is down;
 *   degraded    some replicas are not ready, or more than 5 % of the last five minutes' renders
 *               were answered 5xx (4xx answers and health probes are not renders; none = 0 %);
 *   operational otherwise.
 * What /api/status answers, what the recorder stores each minute and what /status says all come
 * from here, so the public page and the JSON can never disagree.
 */
export type ServiceStatus = 'operational' | 'degraded' | 'down';

/** Above this share of 5xx renders in the window the service is degraded. */
export const ERROR_RATE_THRESHOLD = 0.05;
/** The window the error rate covers. */
export const ERROR_RATE_WINDOW_MS = 5 * 60_000;

export interface StatusInputs {
  database: boolean;
  storage: boolean;
  inference: { ready: number; total: number };
  /** Renders of every web replica in the window, and those answered 5xx. */
  renders: { requests: number; errors: number };
}

/** 5xx renders ÷ renders; 0 when there were none. */
export function errorRate(renders: StatusInputs['renders']): number {
  return renders.requests > 0 ? renders.errors / renders.requests : 0;
}

export function computeStatus(input: StatusInputs): ServiceStatus {
  if (!input.database || !input.storage || input.inference.ready === 0) return 'down';
  if (input.inference.ready < input.inference.total) return 'degraded';
  if (errorRate(input.renders) > ERROR_RATE_THRESHOLD) return 'degraded';
  return 'operational';
}
