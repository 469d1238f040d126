// Failover inside one client call, against stand-in replicas on loopback: a replica that refuses
// the connection, cuts the socket mid-request (before or during its answer) or answers 503 is left
// for another one, and the caller sees one answer — one completed render per call, never two.
// When every replica is down the call fails at once with service_unavailable.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InferenceClient, InferenceError } from '../src/client.ts';
import { type StandIn, standIns, until } from './support/stand-in.ts';

let replicas: StandIn[] = [];
let client: InferenceClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await Promise.all(replicas.map((r) => r.kill()));
  replicas = [];
});

const image = new Uint8Array([1, 2, 3]);

/** A loopback port nothing listens on (connections are refused). */
async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('failover', () => {
  it('leaves a replica that refuses connections for the next one, and stops trying it', async () => {
    replicas = await standIns(1);
    const [b] = replicas as [StandIn];
    const refused = await closedPort();
    client = new InferenceClient({ urls: [refused, b.url] });
    for (let i = 0; i < 6; i++) {
      const out = await client.render(image, { size: 'preview' });
      expect(out.body.toString()).toBe('png-from-apng-from-a'); // the one stand-in is named a
    }
    expect(b.answered).toBe(6);
    expect(client.replicas()[0]).toMatchObject({ url: refused, state: 'down', inFlight: 0 });
  });

  it.each([
    ['before its answer', 'destroy-before-answer'],
    ['in the middle of its body', 'destroy-mid-body'],
  ] as const)('retries elsewhere when a replica cuts the socket %s; one render completes per call', async (_, mode) => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    a.mode = mode;
    client = new InferenceClient({ urls: [a.url, b.url] });
    const out = await client.render(image, { size: 'full' }); // the first call goes to a, in turn
    expect(out.body.toString()).toBe('png-from-bpng-from-b');
    expect(out.width).toBe(4);
    expect(a.started).toBe(1);
    expect([a.answered, b.answered]).toEqual([0, 1]);
    expect(client.replicas().map((r) => r.state)).toEqual(['down', 'ready']);
  });

  it('moves on at once from a replica answering 503 (draining)', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    a.mode = 'busy';
    client = new InferenceClient({ urls: [a.url, b.url] });
    const started = performance.now();
    const out = await client.render(image, { size: 'preview' });
    expect(performance.now() - started).toBeLessThan(500); // no Retry-After wait: b was free
    expect(out.body.toString()).toBe('png-from-bpng-from-b');
    expect([a.started, b.answered]).toEqual([1, 1]);
  });

  it('moves on from a replica that gave up receiving the request (408), and fails with it when every one did twice', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    a.mode = 'request-timeout';
    client = new InferenceClient({ urls: [a.url, b.url] });
    const out = await client.render(image, { size: 'preview' });
    expect(out.body.toString()).toBe('png-from-bpng-from-b');
    expect(client.replicas().map((r) => r.state)).toEqual(['ready', 'ready']); // slow, not dead
    b.mode = 'request-timeout';
    const [sa, sb] = [a.started, b.started];
    await expect(client.render(image, { size: 'preview' })).rejects.toMatchObject({
      code: 'request_timeout',
      status: 408,
    });
    // Each tried twice: once, then once more after every /readyz answered 200 again.
    expect([a.started - sa, b.started - sb]).toEqual([2, 2]);
  });

  it('keeps every call of a burst whole when a replica dies under it', async () => {
    replicas = await standIns(3);
    for (const r of replicas) r.delayMs = 200;
    const [a] = replicas as [StandIn];
    client = new InferenceClient({ urls: replicas.map((r) => r.url) });
    const calls = Array.from({ length: 12 }, () => client!.render(image, { size: 'preview' }));
    await until(() => replicas.every((r) => r.inFlight === 4), 2000);
    await a.kill();
    const out = await Promise.all(calls);
    expect(out).toHaveLength(12);
    expect(replicas.reduce((n, r) => n + r.answered, 0)).toBe(12); // no call rendered twice to completion
    expect(a.answered).toBe(0);
  });

  it('fails at once with service_unavailable when every replica is down', async () => {
    client = new InferenceClient({ urls: [await closedPort(), await closedPort()] });
    const started = performance.now();
    const err = await client.render(image, { size: 'preview' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(InferenceError);
    expect(err).toMatchObject({ code: 'service_unavailable', status: 503 });
    // Still down on the next call: refused again, just as fast.
    const again = performance.now();
    await expect(client.render(image, { size: 'preview' })).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(performance.now() - again).toBeLessThan(1000);
  });
});
