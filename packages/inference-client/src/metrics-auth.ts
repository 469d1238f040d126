// Who may read /metrics, decided the same way by the web app and the inference service: nobody
// when METRICS_TOKEN is unset (the endpoint answers 404, as if it did not exist), otherwise only a
// request carrying `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'not_found' | 'unauthorized' | 'allowed';

/** `authorization`: the request's Authorization header; `token`: METRICS_TOKEN (undefined or '' = unset). */
export function metricsAccess(authorization: string | null | undefined, token: string | undefined): MetricsAccess {
  if (!token) return 'not_found';
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return 'unauthorized';
  // Hashes have one length, so the comparison time says nothing about the token's length either.
  const given = createHash('sha256').update(match[1]!.trim()).digest();
  const wanted = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, wanted) ? 'allowed' : 'unauthorized';
}
