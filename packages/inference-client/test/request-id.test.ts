// What the client tells the replicas and its caller about each call: the request id (X-Request-Id,
// from the call or from the client's requestId()), and every attempt through onAttempt (replica,
// endpoint, outcome, time). Against a stand-in replica on loopback that records what it got. Also
// the shared request-id and /metrics access rules both services use.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InferenceAttempt, InferenceClient } from '../src/client.ts';
import { metricsAccess } from '../src/metrics-auth.ts';
import { isSafeRequestId, requestIdFrom } from '../src/request-id.ts';

let server: http.Server;
let url: string;
const seen: (string | undefined)[] = [];
let failNext = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.end('{"ready":true}');
    req.resume();
    req.on('end', () => {
      seen.push(req.headers['x-request-id'] as string | undefined);
      if (failNext) {
        failNext = false;
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errors: [{ code: 'invalid_file_type', title: 'Bad', detail: 'Bad.' }] }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"format":"png","width":1,"height":1}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the request id and attempts', () => {
  it("sends the call's request id, else the client's current one, else none", async () => {
    let current: string | undefined = 'from-context';
    const client = new InferenceClient({ urls: [url], requestId: () => current });
    seen.length = 0;
    await client.probe(new Uint8Array([1]), { requestId: 'from-call' });
    await client.probe(new Uint8Array([1]));
    current = undefined;
    await client.probe(new Uint8Array([1]));
    expect(seen).toEqual(['from-call', 'from-context', undefined]);
    client.close();
  });

  it('tells every attempt: ok, the error code, unreachable', async () => {
    const attempts: InferenceAttempt[] = [];
    const dead = 'http://127.0.0.1:9';
    const client = new InferenceClient({ urls: [url], retries: 0, onAttempt: (a) => attempts.push(a) });
    await client.probe(new Uint8Array([1]));
    failNext = true;
    await expect(client.probe(new Uint8Array([1]))).rejects.toMatchObject({ code: 'invalid_file_type' });
    const down = new InferenceClient({ urls: [dead], retries: 0, onAttempt: (a) => attempts.push(a) });
    await expect(down.probe(new Uint8Array([1]))).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(attempts.map(({ replica, endpoint, outcome }) => ({ replica, endpoint, outcome }))).toEqual([
      { replica: url, endpoint: 'probe', outcome: 'ok' },
      { replica: url, endpoint: 'probe', outcome: 'invalid_file_type' },
      { replica: dead, endpoint: 'probe', outcome: 'unreachable' },
    ]);
    for (const a of attempts) expect(a.seconds).toBeGreaterThanOrEqual(0);
    client.close();
    down.close();
  });
});

describe('request ids', () => {
  it('keeps a safe id and replaces anything else with a UUID', () => {
    for (const ok of ['a', 'trace-42', 'A.b_c-9', 'x'.repeat(64)]) {
      expect(isSafeRequestId(ok)).toBe(true);
      expect(requestIdFrom(ok)).toBe(ok);
    }
    for (const bad of [undefined, null, '', 'x'.repeat(65), 'a b', 'a"b', 'a\nb', 'ü', '{"x":1}']) {
      expect(isSafeRequestId(bad)).toBe(false);
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });
});

describe('/metrics access', () => {
  it('not_found without a token; allowed only with Bearer <token>', () => {
    expect(metricsAccess('Bearer x', undefined)).toBe('not_found');
    expect(metricsAccess('Bearer x', '')).toBe('not_found');
    expect(metricsAccess('Bearer s3cret', 's3cret')).toBe('allowed');
    expect(metricsAccess('bearer  s3cret ', 's3cret')).toBe('allowed');
    for (const h of [undefined, null, '', 's3cret', 'Basic s3cret', 'Bearer s3cre', 'Bearer s3cret2', 'Bearer '])
      expect(metricsAccess(h, 's3cret')).toBe('unauthorized');
  });
});
