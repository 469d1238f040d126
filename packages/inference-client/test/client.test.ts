// The client's retry policy against a stand-in replica (a plain HTTP server speaking the
// service's protocol): 503 + Retry-After is retried a bounded number of times.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceClient, InferenceError } from '../src/client.ts';
import { readInferenceClientEnv } from '../src/env.ts';

let busyFor = 0;
let calls = 0;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.end('{"ready":true}'); // the client's background probe
    req.resume();
    req.on('end', () => {
      calls++;
      if (busyFor > 0) {
        busyFor--;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(
          JSON.stringify({ errors: [{ code: 'service_unavailable', title: 'Service unavailable', detail: 'Busy.' }] }),
        );
      }
      res.writeHead(200, {
        'content-type': 'image/png',
        'x-format': 'png',
        'x-width': '10',
        'x-height': '8',
        'x-input-width': '20',
        'x-input-height': '16',
        'x-foreground-top': '1',
        'x-foreground-left': '2',
        'x-foreground-width': '3',
        'x-foreground-height': '4',
        'x-mask-cached': '1',
        'server-timing': 'model;dur=12.5, encode;dur=1.0',
      });
      res.end(Buffer.from('png-bytes'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('InferenceClient', () => {
  it('retries 503 after Retry-After and returns the result with its metadata', async () => {
    busyFor = 2;
    calls = 0;
    const client = new InferenceClient({ urls: [url], retries: 3, maxRetryDelayMs: 50 });
    const out = await client.render(new Uint8Array([1]), { size: 'preview', format: 'png' });
    expect(calls).toBe(3);
    expect(out).toMatchObject({
      format: 'png',
      width: 10,
      height: 8,
      inputWidth: 20,
      inputHeight: 16,
      maskCached: true,
      foreground: { top: 1, left: 2, width: 3, height: 4 },
    });
    expect(out.timings).toEqual({ model: 12.5, encode: 1 });
    expect(out.body.toString()).toBe('png-bytes');
  });

  it('gives up after the bounded number of retries with service_unavailable', async () => {
    busyFor = 10;
    calls = 0;
    const client = new InferenceClient({ urls: [url], retries: 2, maxRetryDelayMs: 20 });
    const err = await client.render(new Uint8Array([1]), { size: 'preview' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err).toMatchObject({ code: 'service_unavailable', status: 503, detail: 'Busy.' });
    expect(calls).toBe(3);
    busyFor = 0;
  });

  it('tries the other replica before waiting', async () => {
    busyFor = 0;
    calls = 0;
    const client = new InferenceClient({ urls: ['http://127.0.0.1:9', url], retries: 0 });
    for (let i = 0; i < 4; i++) await client.render(new Uint8Array([1]), { size: 'preview' });
    expect(calls).toBe(4);
  });

  it('reads INFERENCE_URLS, else INFERENCE_PORT', () => {
    const saved = { urls: process.env.INFERENCE_URLS, port: process.env.INFERENCE_PORT };
    process.env.INFERENCE_URLS = 'http://a:1/, http://b:2';
    expect(new InferenceClient(readInferenceClientEnv()).urls).toEqual(['http://a:1', 'http://b:2']);
    delete process.env.INFERENCE_URLS;
    process.env.INFERENCE_PORT = '3999';
    expect(new InferenceClient(readInferenceClientEnv()).urls).toEqual(['http://127.0.0.1:3999']);
    if (saved.urls === undefined) delete process.env.INFERENCE_URLS;
    else process.env.INFERENCE_URLS = saved.urls;
    if (saved.port === undefined) delete process.env.INFERENCE_PORT;
    else process.env.INFERENCE_PORT = saved.port;
  });
});
