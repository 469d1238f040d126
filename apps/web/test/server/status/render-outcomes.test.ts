/**
 * The web process's render outcomes, against a real HTTP stand-in replica: a 200 counts as a
 * render, a 5xx (or no replica at all) as a render and an error, a 4xx and a call the caller
 * abandoned as nothing; counts wait per minute until taken, and can be put back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { minuteOf } from '@bgr/db/queries/operations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CountedInferenceClient, recordRender, restorePending, takePending } from '~/server/status/render-outcomes';

let answer: { status: number; code?: string; delayMs?: number } = { status: 200 };
let server: http.Server;
let url = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.end('{"ready":true}');
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        if (answer.status === 200) {
          res.writeHead(200, { 'content-type': 'image/png', 'x-format': 'png', 'x-width': '1', 'x-height': '1' });
          return void res.end(Buffer.from([137, 80, 78, 71]));
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: answer.code, title: 'x', detail: 'Something happened.' }] }));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => void takePending());

const pendingTotals = () => {
  const rows = takePending();
  return { requests: rows.reduce((n, r) => n + r.requests, 0), errors: rows.reduce((n, r) => n + r.errors, 0) };
};

describe('render outcomes of the web process', () => {
  it('counts successes and 5xx answers, and leaves 4xx answers out', async () => {
    const client = new CountedInferenceClient({ urls: [url], retries: 0 });
    try {
      const image = new Uint8Array([1, 2, 3]);
      await client.render(image, { size: 'preview' });
      await client.render(image, { size: 'preview' });
      answer = { status: 400, code: 'unknown_format' };
      await expect(client.render(image, { size: 'preview' })).rejects.toMatchObject({ status: 400 });
      answer = { status: 500, code: 'internal' };
      await expect(client.render(image, { size: 'preview' })).rejects.toMatchObject({ status: 500 });
      answer = { status: 504, code: 'timeout' };
      await expect(client.render(image, { size: 'preview' })).rejects.toMatchObject({ status: 504 });
      expect(pendingTotals()).toEqual({ requests: 4, errors: 2 });
    } finally {
      client.close();
      answer = { status: 200 };
    }
  });

  it('counts no replica reachable as a 5xx, and an abandoned call as nothing', async () => {
    const nobody = new CountedInferenceClient({ urls: ['http://127.0.0.1:9'], retries: 0 });
    await expect(nobody.render(new Uint8Array([1]), { size: 'preview' })).rejects.toMatchObject({ status: 503 });
    nobody.close();
    const client = new CountedInferenceClient({ urls: [url], retries: 0 });
    answer = { status: 200, delayMs: 500 };
    const gone = new AbortController();
    const call = client.render(new Uint8Array([2]), { size: 'preview' }, { signal: gone.signal });
    setTimeout(() => gone.abort(), 50);
    await expect(call).rejects.toThrow();
    client.close();
    answer = { status: 200 };
    expect(pendingTotals()).toEqual({ requests: 1, errors: 1 });
  });

  it('keeps counts per minute until taken, and takes back what could not be stored', () => {
    const t = new Date('2026-11-30T10:00:30Z');
    recordRender('ok', t);
    recordRender('server', t);
    recordRender('client', t);
    recordRender('ok', new Date('2026-11-30T10:01:10Z'));
    const rows = takePending();
    expect(rows).toEqual([
      { minute: minuteOf(t), requests: 2, errors: 1 },
      { minute: minuteOf(t) + 1, requests: 1, errors: 0 },
    ]);
    expect(takePending()).toEqual([]);
    recordRender('server', t);
    restorePending(rows);
    expect(takePending()).toEqual([
      { minute: minuteOf(t), requests: 3, errors: 2 },
      { minute: minuteOf(t) + 1, requests: 1, errors: 0 },
    ]);
  });
});
