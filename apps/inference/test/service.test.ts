// The real HTTP service (spawned as `tsx src/server/main.ts`, real IS-Net) through the typed
// client: secret, health/readiness/metrics, probe, errors with remove.bg codes, preview-then-full
// with one model run, the bounded queue's 503, failover between URLs, and SIGTERM draining.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceClient, InferenceError } from '@bgr/inference-client';
import { pngBomb } from './support/png-bomb.ts';
import { subjectImage } from './support/images.ts';
import { metricsAuth, startServer, TEST_METRICS_TOKEN, type RunningServer } from './support/server.ts';

const SECRET = 'test-secret-123';
let server: RunningServer;
let client: InferenceClient;

beforeAll(async () => {
  server = await startServer({
    INFERENCE_SECRET: SECRET,
    INFERENCE_QUEUE: '1',
    INFERENCE_CONCURRENCY: '1',
    INFERENCE_THREADS: '2',
    INFERENCE_IMAGE_THREADS: '3',
  });
  client = new InferenceClient({ urls: [server.url], secret: SECRET, retries: 0 });
});
afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: metricsAuth })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').pop() ?? NaN);
}

async function rawRender(bytes: Uint8Array, options: object) {
  return fetch(`${server.url}/v1/render`, {
    method: 'POST',
    body: bytes as BodyInit,
    headers: { 'x-inference-secret': SECRET, 'x-render-options': encodeURIComponent(JSON.stringify(options)) },
  });
}

describe('health, readiness, metrics', () => {
  it('reports the provider, model and threads', async () => {
    const health = await client.health();
    expect(health).toMatchObject({ ok: true, ready: true, model: 'medium', provider: 'cpu' });
    expect(health.threads).toBe(2); // INFERENCE_THREADS
    expect(server.log()).toMatch(/listening on .* image threads 3,/); // INFERENCE_IMAGE_THREADS
    expect(await client.ready()).toBe(true);
  });

  it('serves Prometheus text with queue depth, stage latency and images by size class', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: metricsAuth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'inference_queue_depth',
      'inference_in_flight',
      'inference_model_runs_total',
      'inference_render_seconds',
      'inference_stage_seconds',
      'inference_images_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/inference_model_info\{model="medium",provider="cpu",threads="\d+"\} 1/);
  });

  it('answers /metrics only with Authorization: Bearer <METRICS_TOKEN>', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.text()).not.toContain('inference_');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${TEST_METRICS_TOKEN}` } });
    expect(basic.status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: metricsAuth })).status).toBe(200);
  });

  it("writes one JSON line per request with the caller's X-Request-Id, and echoes it", async () => {
    const id = `svc-test.${Date.now()}`;
    const res = await fetch(`${server.url}/v1/probe`, {
      method: 'POST',
      body: (await subjectImage({ width: 64, height: 48 })) as BodyInit,
      headers: { 'x-inference-secret': SECRET, 'x-request-id': id },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(id);
    // An unsafe id (too long, odd characters) is replaced by a fresh one.
    const odd = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b"c' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await odd.text();
    const line = await waitForLine(server, (l) => l.reqId === id);
    expect(line).toMatchObject({
      level: 'info',
      service: 'inference',
      msg: 'request',
      method: 'POST',
      path: '/v1/probe',
      status: 200,
      outcome: 'ok',
    });
    expect(typeof line.ms).toBe('number');
    expect(JSON.stringify(line)).not.toContain(SECRET);
    // A refused request logs its error code.
    const refused = `svc-refused-${Date.now()}`;
    await (
      await fetch(`${server.url}/v1/render`, { method: 'POST', body: '', headers: { 'x-request-id': refused } })
    ).text();
    expect(await waitForLine(server, (l) => l.reqId === refused)).toMatchObject({
      status: 401,
      outcome: 'unauthorized',
    });
  });
});

type LogLine = Record<string, unknown>;

/** The service's stdout JSON line that matches, waiting briefly for it to be written. */
async function waitForLine(s: RunningServer, match: (line: LogLine) => boolean): Promise<LogLine> {
  for (let i = 0; i < 100; i++) {
    for (const text of s.log().split('\n')) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as LogLine;
      if (match(line)) return line;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No matching log line in:\n${s.log()}`);
}

describe('the render endpoint', () => {
  it('needs the shared secret', async () => {
    const res = await fetch(`${server.url}/v1/render`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(res.status).toBe(401);
    const wrong = new InferenceClient({ urls: [server.url], secret: 'nope', retries: 0 });
    await expect(wrong.probe(new Uint8Array([0xff, 0xd8, 0xff]))).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
    });
  });

  it('probes headers only', async () => {
    expect(await client.probe(await subjectImage({ width: 300, height: 200 }))).toEqual({
      format: 'jpeg',
      width: 300,
      height: 200,
    });
    await expect(client.probe(pngBomb(20_000, 20_000))).rejects.toMatchObject({
      code: 'resolution_too_high',
      status: 400,
    });
  });

  it('passes remove.bg error codes through as InferenceError', async () => {
    const img = await subjectImage({ width: 200, height: 150, seed: 40 });
    const cases: [() => Promise<unknown>, string][] = [
      [() => client.render(img, { size: 'preview', bgColor: 'zzz' }), 'invalid_bg_color'],
      [() => client.render(Buffer.from('GIF89a....'), { size: 'preview' }), 'invalid_file_type'],
      [() => client.render(pngBomb(9000, 9000), { size: 'preview' }), 'resolution_too_high'],
      [() => client.render(new Uint8Array(22 * 1024 * 1024 + 10), { size: 'preview' }), 'file_too_large'],
      [() => client.render(img, { size: 'preview', roi: '0% 0% 100% 200%' }), 'roi_exceeds_bounds'],
      [() => client.render(img, { size: 'giant' as 'preview' }), 'invalid_size'],
    ];
    for (const [call, code] of cases) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InferenceError);
      expect(err).toMatchObject({ code, status: 400 });
      expect((err as InferenceError).detail).toMatch(/\.$/); // a sentence
    }
  });

  it('runs the model once for a preview followed by the full render, with metadata', async () => {
    const image = await subjectImage({ width: 900, height: 600, seed: 41 });
    const runs = await metric('inference_model_runs_total');
    const preview = await client.render(image, { size: 'preview', format: 'png' });
    expect(preview).toMatchObject({
      format: 'png',
      contentType: 'image/png',
      inputWidth: 900,
      inputHeight: 600,
      maskCached: false,
    });
    expect(preview.width * preview.height).toBeLessThanOrEqual(250_000);
    const full = await client.render(image, { size: 'full', format: 'jpg' });
    expect(full).toMatchObject({ format: 'jpg', width: 900, height: 600, maskCached: true });
    expect(Math.abs(full.foreground.width - 336)).toBeLessThan(25);
    expect(full.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await metric('inference_model_runs_total')).toBe(runs + 1);
    // A background image travels with the render.
    const bg = await subjectImage({ width: 50, height: 50, seed: 3 });
    const onBg = await client.render(image, { size: 'preview', format: 'auto' }, { bgImage: bg });
    expect(onBg.format).toBe('jpg');
  });

  it('answers 503 with Retry-After when the queue is full (INFERENCE_QUEUE=1)', async () => {
    const image = await subjectImage({ width: 640, height: 480, seed: 42 });
    const runs = await metric('inference_model_runs_total');
    // One running + one queued fill it; the third is turned away at once.
    const renders = Promise.all([
      rawRender(image, { size: 'preview' }),
      rawRender(image, { size: 'full' }),
      rawRender(image, { size: 'medium' }),
    ]);
    // Header probes are not queued behind renders.
    while ((await metric('inference_in_flight')) < 2) await new Promise((r) => setTimeout(r, 20));
    expect(await client.probe(image)).toEqual({ format: 'jpeg', width: 640, height: 480 });
    const responses = await renders;
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const busy = responses.find((r) => r.status === 503)!;
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await busy.json()).toMatchObject({ errors: [{ code: 'service_unavailable' }] });
    // The two identical images in flight shared one model run.
    expect(await metric('inference_model_runs_total')).toBe(runs + 1);
  });

  it('fails over to the next URL when one replica is down', async () => {
    const image = await subjectImage({ width: 640, height: 480, seed: 42 }); // cached above
    const both = new InferenceClient({ urls: ['http://127.0.0.1:9', server.url], secret: SECRET, retries: 0 });
    for (let i = 0; i < 3; i++) {
      const out = await both.render(image, { size: 'preview', format: 'png' });
      expect(out.maskCached).toBe(true);
    }
    const down = new InferenceClient({ urls: ['http://127.0.0.1:9'], secret: SECRET, retries: 0 });
    await expect(down.render(image, { size: 'preview' })).rejects.toMatchObject({
      code: 'service_unavailable',
      status: 503,
    });
  });
});

describe('shutdown', () => {
  it('finishes the render in flight on SIGTERM, then exits', async () => {
    const image = await subjectImage({ width: 640, height: 480, seed: 43 });
    const pending = client.render(image, { size: 'preview', format: 'png' });
    // Wait until the service has admitted it.
    while ((await metric('inference_in_flight')) < 1) await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGTERM');
    const out = await pending;
    expect(out.format).toBe('png');
    expect(await server.exited).toBe(0);
    expect(server.log()).toMatch(/SIGTERM: finishing 1 render\(s\) in flight/);
  });
});
