// The service's /metrics token rule and its JSON request log, on the real HTTP service with a tiny
// ONNX model the test writes: without METRICS_TOKEN /metrics is 404 (as if absent); with it, only
// `Authorization: Bearer <token>` reads it; every request writes one JSON line carrying its id.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../src/pipeline/render.ts';
import { createLogger } from '../../src/server/log.ts';
import { createInferenceService, type InferenceService } from '../../src/server/service.ts';
import { tinyPipeline } from '../support/tiny-model.ts';

const TOKEN = 'metrics-token-for-the-test';
const dir = mkdtempSync(join(tmpdir(), 'bgr-metrics-'));
const lines: Record<string, unknown>[] = [];
let open: { service: InferenceService; url: string };
let guarded: { service: InferenceService; url: string };

async function start(pipeline: Pipeline, metricsToken: string | undefined) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text));
      done();
    },
  });
  const service = createInferenceService(
    pipeline,
    { port: 0, host: '127.0.0.1', secret: 's', concurrency: 1, queue: 1, timeoutMs: 60_000, metricsToken },
    { log: createLogger('info', sink) },
  );
  await new Promise<void>((r) => service.server.listen(0, '127.0.0.1', () => r()));
  return { service, url: `http://127.0.0.1:${(service.server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  const pipeline = await tinyPipeline(dir);
  open = await start(pipeline, undefined);
  guarded = await start(pipeline, TOKEN);
});
afterAll(async () => {
  await open.service.drain(0);
  await guarded.service.drain(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('/metrics', () => {
  it('is 404 when METRICS_TOKEN is unset, whatever the request carries', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }, { authorization: 'Bearer ' }] as Record<
      string,
      string
    >[]) {
      const res = await fetch(`${open.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('inference_');
    }
  });

  it('with METRICS_TOKEN set: 401 without the bearer token or with a wrong one, 200 with it', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN}-`, `Basic ${TOKEN}`, TOKEN]) {
      const res = await fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.text()).not.toContain('inference_');
    }
    const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE inference_requests_total counter');
  });
});

describe('the request log', () => {
  it('writes one JSON line per request with the id given, echoed in X-Request-Id; probes only at debug', async () => {
    const id = `log-test-${Date.now()}`;
    const res = await fetch(`${guarded.url}/v1/probe`, {
      method: 'POST',
      body: new Uint8Array([1, 2, 3]),
      headers: { 'x-inference-secret': 's', 'x-request-id': id },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe(id);
    await res.text();
    await fetch(`${guarded.url}/readyz`, { headers: { 'x-request-id': `${id}-probe` } }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const mine = lines.filter((l) => String(l.reqId).startsWith(id));
    expect(mine).toHaveLength(1); // /readyz is written at debug only
    expect(mine[0]).toMatchObject({
      level: 'info',
      service: 'inference',
      msg: 'request',
      method: 'POST',
      path: '/v1/probe',
      status: 400,
      outcome: 'invalid_file_type',
    });
    expect(typeof mine[0]!.time).toBe('string');
    expect(JSON.stringify(mine[0])).not.toContain('"s"'); // the secret
  });

  it('gives a request without a safe id a fresh one', async () => {
    for (const given of [undefined, 'x'.repeat(65), 'a b', 'id"}']) {
      const res = await fetch(`${guarded.url}/healthz`, { headers: given ? { 'x-request-id': given } : {} });
      await res.text();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
