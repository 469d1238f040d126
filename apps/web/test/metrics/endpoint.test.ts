/**
 * /metrics's token rule (src/server/metrics/endpoint.ts) in-process: 404 when METRICS_TOKEN is
 * unset, 401 with WWW-Authenticate without the bearer token or with a wrong one, the registry's
 * Prometheus text with it. And the route label of bgr_http_requests_total stays low-cardinality,
 * and so does the replica label of the inference metrics with INFERENCE_URLS discovered by DNS: the
 * web app's client (its hooks as getInference gives them) on real stand-in replicas at 127.0.0.1-3
 * sharing one port, with a lookup whose answer the test changes from {A, B} to {B, C}.
 */
import { type StandIn, standIns, standInsOnOnePort, until } from '@bgr/inference-client/test/support/stand-in';
import { afterAll, describe, expect, it } from 'vitest';
import { routeOf } from '../../src/server/logging/request-log';
import { handleMetrics } from '../../src/server/metrics/endpoint';
import { inferenceHooks } from '../../src/server/metrics/inference-hooks';
import { CountedInferenceClient } from '../../src/server/status/render-outcomes';

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

describe('the replica label with INFERENCE_URLS discovered by DNS', () => {
  const DEADLINE_MS = 8000;
  let replicas: StandIn[] = [];
  let client: CountedInferenceClient | null = null;
  afterAll(async () => {
    client?.close();
    await Promise.all(replicas.map((r) => r.kill()));
  });

  let serial = 0;
  /** A different image each call: no affinity to the replica that served the last one. */
  const fresh = () => new Uint8Array([7, 8, ++serial % 256, Math.floor(serial / 256)]);
  const scrape = async () => (await handleMetrics(req('Bearer secret'), 'secret')).text();
  /** The lines of the Prometheus text labelled with this replica. */
  const seriesOf = (text: string, replica: StandIn) =>
    text.split('\n').filter((l) => l.includes(`replica="${replica.url}"`));
  const okCount = (text: string, replica: StandIn) => {
    const line = seriesOf(text, replica).find(
      (l) => l.startsWith('bgr_inference_calls_total{') && l.includes('outcome="ok"'),
    );
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it("drops the series of a pod gone from the answer, adds the new pod's, keeps a URL written as such", async () => {
    const pods = await standInsOnOnePort(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    const fixed = (await standIns(1))[0]!;
    replicas = [...pods, fixed];
    const [a, b, c] = pods as [StandIn, StandIn, StandIn];
    let answer = ['127.0.0.1', '127.0.0.2'];
    client = new CountedInferenceClient({
      ...inferenceHooks(),
      urls: [fixed.url, `dns+http://bgr-inference-pods:${a.port}`],
      lookup: async () => [...answer],
      discoveryIntervalMs: 200,
      retries: 0,
    });
    for (let i = 0; i < 6; i++) await client.render(fresh(), { size: 'preview' });
    let text = await scrape();
    for (const r of [fixed, a, b]) {
      expect(okCount(text, r)).toBe(r.answered);
      expect(seriesOf(text, r).some((l) => l.startsWith('bgr_inference_call_duration_seconds_bucket{'))).toBe(true);
    }
    expect(seriesOf(text, c)).toEqual([]);

    // A leaves, C joins; the replica written as such goes down and stays configured.
    await fixed.kill();
    answer = ['127.0.0.2', '127.0.0.3'];
    const current = () => client!.replicas().map((r) => [r.url, r.state]);
    await until(
      () =>
        JSON.stringify(current().slice(1)) ===
        JSON.stringify([
          [b.url, 'ready'],
          [c.url, 'ready'],
        ]),
      DEADLINE_MS,
    );
    for (let i = 0; i < 6; i++) await client.render(fresh(), { size: 'preview' });
    expect(c.answered).toBeGreaterThan(0);

    text = await scrape();
    expect(seriesOf(text, a)).toEqual([]);
    expect(text).not.toContain(`"${a.url}"`);
    expect(okCount(text, b)).toBe(b.answered); // kept, not restarted
    expect(okCount(text, c)).toBe(c.answered);
    expect(seriesOf(text, c).some((l) => l.startsWith('bgr_inference_call_duration_seconds_bucket{'))).toBe(true);
    expect(client.replicas()[0]).toMatchObject({ url: fixed.url, state: 'down' });
    expect(okCount(text, fixed)).toBe(fixed.answered);
  });
});
