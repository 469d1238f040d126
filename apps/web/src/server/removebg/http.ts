/**
 * Response plumbing shared by every /v1.0 endpoint: CORS on every answer, preflights,
 * JSON bodies and the error shape.
 */
import { noteOutcome } from '../logging/context';
import { ApiError, errorBody, toApiError } from './errors';

/** Browsers may call the API from any origin; the API key, not cookies, authenticates. */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': [
    'X-Credits-Charged',
    'Idempotent-Replayed',
    'X-Width',
    'X-Height',
    'X-Type',
    'X-Foreground-Top',
    'X-Foreground-Left',
    'X-Foreground-Width',
    'X-Foreground-Height',
    'X-RateLimit-Limit',
    'X-RateLimit-Remaining',
    'X-RateLimit-Reset',
    'Retry-After',
  ].join(', '),
};

export function preflight(req: Request): Response {
  const requested = req.headers.get('access-control-request-headers');
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': requested || 'X-Api-Key, Content-Type, Accept, Idempotency-Key',
      'Access-Control-Max-Age': '86400',
      Vary: 'Access-Control-Request-Headers',
    },
  });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS_HEADERS, 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(err: unknown, headers: Record<string, string> = {}): Response {
  const apiError = toApiError(err);
  noteOutcome(apiError.code);
  if (apiError.code === 'internal' && !(err instanceof ApiError)) {
    // Keep the cause in the server log; the client only gets the sentence.
    console.error('[api]', err);
  }
  // A busy or starting processing service: tell clients when to come back. Every 429 carries
  // Retry-After (remove.bg clients wait on it): a minute unless the error says exactly.
  const retry: Record<string, string> =
    apiError.status === 503 ? { 'Retry-After': '5' } : apiError.status === 429 ? { 'Retry-After': '60' } : {};
  return jsonResponse(errorBody(apiError), apiError.status, { ...headers, ...retry, ...apiError.headers });
}
