// A sender too slow to deliver its body within INFERENCE_BODY_TIMEOUT_MS is answered 408
// request_timeout, its connection closed and its slot freed, so a stalled or trickling client
// cannot hold the render queue. Runs the real HTTP service on a tiny ONNX model the test writes.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/server/config.ts';
import { createInferenceService, type InferenceService } from '../src/server/service.ts';
import { tinyPipeline } from './support/tiny-model.ts';

const SECRET = 'body-timeout-secret';
const dir = mkdtempSync(join(tmpdir(), 'bgr-body-timeout-'));
let service: InferenceService;
let port = 0;

beforeAll(async () => {
  const pipeline = await tinyPipeline(dir);
  // One render at a time and no queue: a single stalled sender would otherwise block everyone.
  service = createInferenceService(pipeline, {
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    concurrency: 1,
    queue: 0,
    timeoutMs: 60_000,
    bodyTimeoutMs: 400,
  });
  await new Promise<void>((r) => service.server.listen(0, '127.0.0.1', () => r()));
  port = (service.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await service.drain();
  rmSync(dir, { recursive: true, force: true });
});

/** Declares `declared` bytes, then sends one byte every `everyMs` (never all of them). */
function slowSender(
  path: string,
  declared: number,
  everyMs: number,
): Promise<{ status: number; body: string; ms: number; closed: Promise<void> }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { 'x-inference-secret': SECRET, 'content-length': String(declared) },
    });
    req.flushHeaders();
    const trickle = setInterval(() => req.write('x'), everyMs);
    const closed = new Promise<void>((r) => req.once('close', () => r()));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        clearInterval(trickle);
        resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started, closed });
      });
    });
    req.on('error', (err) => {
      clearInterval(trickle);
      reject(err);
    });
  });
}

async function render(bytes: Buffer): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/v1/render`, {
    method: 'POST',
    body: bytes as BodyInit,
    headers: {
      'x-inference-secret': SECRET,
      'x-render-options': encodeURIComponent(JSON.stringify({ size: 'preview', format: 'png' })),
    },
  });
}

describe('the request body read timeout', () => {
  it('answers a trickling render upload 408 request_timeout, closes it and frees its slot', async () => {
    const pending = slowSender('/v1/render', 1_000_000, 50);
    // While it trickles, it holds the only slot: others are turned away.
    while (service.active < 1) await new Promise((r) => setTimeout(r, 10));
    const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    expect((await render(image)).status).toBe(503);

    const slow = await pending;
    expect(slow.status).toBe(408);
    expect(JSON.parse(slow.body)).toEqual({
      errors: [
        {
          code: 'request_timeout',
          title: 'Request body not received in time',
          detail: 'The request body did not arrive within 0.4 s.',
        },
      ],
    });
    // Trickling does not extend the deadline: it is for the whole body.
    expect(slow.ms).toBeGreaterThanOrEqual(350);
    expect(slow.ms).toBeLessThan(3000);
    await slow.closed;
    while (service.active > 0) await new Promise((r) => setTimeout(r, 10));

    const after = await render(image);
    expect(after.status).toBe(200);
  });

  it('applies to header probes too', async () => {
    const slow = await slowSender('/v1/probe', 1000, 1000);
    expect(slow.status).toBe(408);
    expect(JSON.parse(slow.body)).toMatchObject({ errors: [{ code: 'request_timeout' }] });
  });

  it('is read from INFERENCE_BODY_TIMEOUT_MS (default 30 s)', () => {
    const before = process.env.INFERENCE_BODY_TIMEOUT_MS;
    try {
      delete process.env.INFERENCE_BODY_TIMEOUT_MS;
      expect(readConfig().bodyTimeoutMs).toBe(30_000);
      process.env.INFERENCE_BODY_TIMEOUT_MS = '2500';
      expect(readConfig().bodyTimeoutMs).toBe(2500);
      process.env.INFERENCE_BODY_TIMEOUT_MS = '0';
      expect(() => readConfig()).toThrow(/INFERENCE_BODY_TIMEOUT_MS must be a whole number ≥ 1/);
    } finally {
      if (before === undefined) delete process.env.INFERENCE_BODY_TIMEOUT_MS;
      else process.env.INFERENCE_BODY_TIMEOUT_MS = before;
    }
  });
});
