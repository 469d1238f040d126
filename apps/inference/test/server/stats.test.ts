// GET /v1/stats over HTTP on the real service (a tiny ONNX model the test writes): the secret is
// required; renders answered 200 give the hour's count and p50/p95; a 4xx answer is not an error
// of the replica, a 5xx is kept as the last error; timings older than the hour leave the window.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderError } from '@bgr/inference-client/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskCache } from '../../src/cache/mask-cache.ts';
import { loadRegistry, selectModel } from '../../src/model/registry.ts';
import { ModelSession } from '../../src/model/session.ts';
import { Pipeline } from '../../src/pipeline/render.ts';
import { createInferenceService, type InferenceService } from '../../src/server/service.ts';
import { percentile, RenderStats } from '../../src/server/stats.ts';
import { subjectImage } from '../support/images.ts';
import { writeTinyRegistry } from '../support/tiny-model.ts';

const SECRET = 'stats-secret';
const dir = mkdtempSync(join(tmpdir(), 'bgr-stats-'));
const services: InferenceService[] = [];

async function start(timeoutMs: number): Promise<string> {
  const pipeline = new Pipeline(
    await ModelSession.load(selectModel(loadRegistry(join(dir, 'models.json')), 'tiny'), {
      device: 'cpu',
      threads: 1,
    }),
    new MaskCache(),
  );
  const service = createInferenceService(pipeline, {
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    concurrency: 1,
    queue: 4,
    timeoutMs,
  });
  services.push(service);
  await new Promise<void>((r) => service.server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  writeTinyRegistry(dir);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.drain(100)));
  rmSync(dir, { recursive: true, force: true });
});

const render = (url: string, bytes: Uint8Array) =>
  fetch(`${url}/v1/render`, {
    method: 'POST',
    body: bytes as BodyInit,
    headers: { 'x-inference-secret': SECRET, 'x-render-options': encodeURIComponent('{"size":"preview"}') },
  });
const stats = (url: string, secret = SECRET) => fetch(`${url}/v1/stats`, { headers: { 'x-inference-secret': secret } });

describe('GET /v1/stats', () => {
  it('needs the secret, and reports model, provider, threads, renders and percentiles', async () => {
    const url = await start(60_000);
    expect((await stats(url, 'wrong')).status).toBe(401);
    expect((await fetch(`${url}/v1/stats`)).status).toBe(401);

    const empty = await (await stats(url)).json();
    expect(empty).toMatchObject({
      ready: true,
      model: 'tiny',
      provider: 'cpu',
      threads: 1,
      inFlight: 0,
      queued: 0,
      renders: { windowMinutes: 60, count: 0, p50Ms: null, p95Ms: null },
      lastError: null,
    });

    for (let seed = 0; seed < 3; seed++)
      expect((await render(url, await subjectImage({ width: 120, height: 90, seed }))).status).toBe(200);
    // Not an image: the caller's mistake (400), not the replica's.
    expect((await render(url, new Uint8Array([1, 2, 3, 4]))).status).toBe(400);

    const res = await stats(url);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.renders.count).toBe(3);
    expect(body.renders.p50Ms).toBeGreaterThan(0);
    expect(body.renders.p95Ms).toBeGreaterThanOrEqual(body.renders.p50Ms);
    expect(body.modelRuns).toBe(3);
    expect(body.lastError).toBeNull();
  });

  it('keeps the last 5xx answer as the last error', async () => {
    const url = await start(1); // every render runs past its 1 ms limit: 504 timeout
    const res = await render(url, await subjectImage({ width: 120, height: 90, seed: 9 }));
    expect(res.status).toBe(504);
    const body = await (await stats(url)).json();
    expect(body.lastError).toMatchObject({ code: 'timeout', status: 504 });
    expect(body.lastError.detail).toMatch(/took longer than/);
    expect(Date.parse(body.lastError.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.renders.count).toBe(0);
  });
});

describe('the one-hour window', () => {
  it('drops timings older than the hour and ranks percentiles by nearest rank', () => {
    let now = 0;
    const health = () => ({
      ready: true,
      model: 'm',
      provider: 'cpu',
      threads: 1,
      concurrency: 1,
      inFlight: 0,
      queueDepth: 0,
      modelRuns: 0,
    });
    const s = new RenderStats(health, () => now, 60 * 60_000);
    for (let i = 1; i <= 100; i++) s.rendered(i * 10); // 10 … 1000 ms at t = 0
    now = 30 * 60_000;
    s.rendered(5000);
    expect(s.snapshot().renders).toMatchObject({ count: 101, p50Ms: 510, p95Ms: 960 });
    now = 60 * 60_000 + 1; // the first hundred are now older than an hour
    expect(s.snapshot().renders).toMatchObject({ count: 1, p50Ms: 5000, p95Ms: 5000 });
    s.failed(new RenderError('invalid_size', 'Bad size.'));
    expect(s.snapshot().lastError).toBeNull();
    s.failed(new RenderError('internal', 'Boom.'));
    expect(s.snapshot().lastError).toMatchObject({ code: 'internal', status: 500, detail: 'Boom.' });
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.95)).toBe(4);
  });
});
