/**
 * /metrics's token rule (src/server/metrics/endpoint.ts) in-process: 404 when METRICS_TOKEN is
 * unset, 401 with WWW-Authenticate without the bearer token or with a wrong one, the registry's
 * Prometheus text with it. And the route label of bgr_http_requests_total stays low-cardinality.
 */
import { describe, expect, it } from 'vitest';
import { routeOf } from '../../src/server/logging/request-log';
import { handleMetrics } from '../../src/server/metrics/endpoint';

const req = (authorization?: string) =>
  new Request('http://localhost/metrics', { headers: authorization ? { authorization } : {} });

describe('GET /metrics', () => {
  it('is 404 when METRICS_TOKEN is unset, whatever is sent', async () => {
    for (const token of [undefined, '']) {
      expect((await handleMetrics(req(), token)).status).toBe(404);
      expect((await handleMetrics(req('Bearer anything'), token)).status).toBe(404);
    }
  });

  it('is 401 without the bearer token or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer', 'Bearer secret2', 'Bearer secre', 'Basic secret', 'secret']) {
      const res = await handleMetrics(req(auth), 'secret');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.text()).not.toContain('bgr_');
    }
  });

  it('answers the Prometheus text with the token', async () => {
    const res = await handleMetrics(req('Bearer secret'), 'secret');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'bgr_http_requests_total',
      'bgr_api_requests_total',
      'bgr_api_calls_total',
      'bgr_credits_charged_units_total',
      'bgr_holds_total',
      'bgr_inference_calls_total',
      'bgr_inference_call_duration_seconds',
      'bgr_rate_limit_refusals_total',
    ])
      expect(text).toContain(`# TYPE ${name} `);
  });
});

describe('the route label', () => {
  it('folds ids, tRPC batches, Next assets and unanswered paths', () => {
    expect(routeOf('/api/images/3f2a1c9e-0b7d-4e8a-9f10-123456789abc/hd', 200)).toBe('/api/images/[id]/hd');
    expect(routeOf('/admin/users/12345', 200)).toBe('/admin/users/[id]');
    expect(routeOf('/api/trpc/account.balance,images.recent', 200)).toBe('/api/trpc');
    expect(routeOf('/_next/static/chunks/abc.js', 200)).toBe('/_next');
    expect(routeOf('/v1.0/removebg', 402)).toBe('/v1.0/removebg');
    expect(routeOf('/wp-login.php', 404)).toBe('unmatched');
  });
});
