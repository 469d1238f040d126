// The client's routing and failover against real replicas: two inference service processes
// (tsx src/server/main.ts, real IS-Net, one thread each) behind one InferenceClient. A replica
// SIGKILLed with renders in flight loses none of them (each is answered once, by the survivor); a
// replica sent SIGTERM answers /readyz 503 at once, finishes what it holds, takes no new work, exits 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceClient } from '@bgr/inference-client';
import { subjectImage } from './support/images.ts';
import { metricsAuth, startServer, type RunningServer } from './support/server.ts';

const SECRET = 'fleet-secret';
// Generous limits: on a busy shared machine one model run can take tens of seconds.
const env = {
  INFERENCE_SECRET: SECRET,
  INFERENCE_THREADS: '1',
  INFERENCE_CONCURRENCY: '1',
  INFERENCE_TIMEOUT_MS: '600000',
};
const timeoutMs = 600_000;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  // One after the other: two starts at once could pick the same free port.
  a = await startServer(env);
  b = await startServer(env);
  expect(a.url).not.toBe(b.url);
});
afterAll(() => {
  for (const s of [a, b]) if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
});

/** /metrics, asked again once when a kept-alive connection was dropped under us (a busy machine). */
async function metricsText(server: RunningServer): Promise<string> {
  try {
    return await (await fetch(`${server.url}/metrics`, { headers: metricsAuth })).text();
  } catch {
    return (await fetch(`${server.url}/metrics`, { headers: { ...metricsAuth, connection: 'close' } })).text();
  }
}

async function modelRuns(server: RunningServer): Promise<number> {
  const text = await metricsText(server);
  const line = text.split('\n').find((l) => l.startsWith('inference_model_runs_total '));
  return Number(line?.split(' ').pop());
}

async function inFlight(server: RunningServer): Promise<number> {
  const text = await metricsText(server);
  const line = text.split('\n').find((l) => l.startsWith('inference_in_flight '));
  return Number(line?.split(' ').pop());
}

describe('a fleet of real replicas', () => {
  it('answers every render once when a replica is SIGKILLed with renders in flight', async () => {
    const client = new InferenceClient({ urls: [a.url, b.url], secret: SECRET, timeoutMs });
    const images = await Promise.all(
      Array.from({ length: 4 }, (_, i) => subjectImage({ width: 320, height: 240, seed: 100 + i })),
    );
    const runsBefore = await modelRuns(b);
    const calls = images.map((image) => client.render(image, { size: 'preview', format: 'png' }));
    // Least-busy: two each; kill a while it holds them.
    while ((await inFlight(a)) < 2) await new Promise((r) => setTimeout(r, 20));
    expect(client.replicas().map((r) => r.inFlight)).toEqual([2, 2]);
    a.child.kill('SIGKILL');
    const out = await Promise.all(calls);
    expect(out.map((o) => o.format)).toEqual(Array(4).fill('png'));
    expect(out.every((o) => o.body.subarray(1, 4).toString() === 'PNG')).toBe(true);
    // b ran the model for all four images (its own two and a's two), one run each.
    expect((await modelRuns(b)) - runsBefore).toBe(4);
    // a is out; b may read 'slow' when its /readyz answered late on this busy machine, never 'down'.
    const [ra, rb] = client.replicas();
    expect(ra).toMatchObject({ url: a.url, inFlight: 0, state: 'down' });
    expect(rb).toMatchObject({ url: b.url, inFlight: 0 });
    expect(rb!.state).not.toBe('down');
    client.close();
  });

  it('on SIGTERM answers /readyz 503 at once, finishes the render it holds and takes no new one', async () => {
    const client = new InferenceClient({ urls: [b.url], secret: SECRET, timeoutMs });
    const image = await subjectImage({ width: 1600, height: 1200, seed: 200 });
    while ((await inFlight(b)) > 0) await new Promise((r) => setTimeout(r, 50));
    const held = client.render(image, { size: 'full', format: 'png' });
    while ((await inFlight(b)) < 1) await new Promise((r) => setTimeout(r, 20));
    b.child.kill('SIGTERM');
    let readyz = 0;
    for (let i = 0; i < 50 && readyz !== 503; i++) {
      readyz = (await fetch(`${b.url}/readyz`)).status;
      if (readyz !== 503) await new Promise((r) => setTimeout(r, 10));
    }
    expect(readyz).toBe(503);
    // A tiny body: a draining replica answers before reading it, and a large one would be cut off.
    const fresh = await fetch(`${b.url}/v1/render`, {
      method: 'POST',
      body: new Uint8Array([1, 2, 3]) as BodyInit,
      headers: { 'x-inference-secret': SECRET },
    });
    expect(fresh.status).toBe(503);
    expect((await held).format).toBe('png');
    expect(await b.exited).toBe(0);
    client.close();
  });
});
