// One huge erase stroke (2,000 points zig-zagging across a 10 MP image; it paints the image over about
// 36 times of the 50 allowed) takes seconds to paint; the service paints it in slices and lets its
// event loop run between them, so /healthz keeps answering while the render is in progress (the real
// spawned service, real IS-Net). Measured without a clock bound: the longest stretch with no /healthz
// answer during the edited render must be a small part of the time the painting itself took (the
// edited render's refine stage less the plain one's, both from Server-Timing); painting in one go
// makes that stretch the whole of it.
import http from 'node:http';
import { InferenceClient } from '@bgr/inference-client';
import { parseEditDocument } from '@bgr/strokes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectImage } from '../support/images.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const SECRET = 'edit-responsive-secret';
let server: RunningServer;
let client: InferenceClient;
let image: Buffer; // 4000×3000 JPEG: a full-size PNG render works at 10 MP

const huge = {
  version: 1,
  strokes: [
    {
      mode: 'erase',
      radius: 0.01,
      softness: 0.5,
      points: Array.from({ length: 2000 }, (_, i) => [0.05 + 0.9 * (i % 2), 0.1 + (0.8 * i) / 2000]).flat(),
    },
  ],
};
// The alpha channel only: no colour estimate, so the edited render differs from the plain one by the painting.
const options = { size: 'full', format: 'png', channels: 'alpha' } as const;

beforeAll(async () => {
  server = await startServer({ INFERENCE_SECRET: SECRET, INFERENCE_THREADS: '2' });
  client = new InferenceClient({ urls: [server.url], secret: SECRET, retries: 0, timeoutMs: 200_000 });
  image = await subjectImage({ width: 4000, height: 3000, seed: 21 });
});
afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

/** GET /healthz on a connection of its own (no kept-alive socket to race the server's idle timeout): its status. */
function healthz(): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('a render with one huge stroke', () => {
  it('leaves /healthz answering all through the painting', async () => {
    expect(parseEditDocument(huge).ok).toBe(true);
    // The plain render runs the model (the mask is cached for the edited one) and gives refine without painting.
    const plain = await client.render(image, options);
    expect(plain.maskCached).toBe(false);

    let done = false;
    let started = 0;
    const answers: number[] = [];
    const render = client.render(image, options, { edit: huge }).finally(() => {
      done = true;
    });
    const probes = (async () => {
      started = performance.now();
      while (!done) {
        expect(await healthz()).toBe(200);
        if (!done) answers.push(performance.now());
      }
    })();
    probes.catch(() => {}); // awaited below
    const edited = await render;
    const ended = performance.now();
    await probes;

    expect(edited.maskCached).toBe(true);
    const painting = (edited.timings.refine ?? 0) - (plain.timings.refine ?? 0);
    // The stroke is heavy enough for the comparison to mean something.
    expect(painting).toBeGreaterThan(500);
    let longest = 0;
    let last = started;
    for (const t of [...answers, ended]) {
      longest = Math.max(longest, t - last);
      last = t;
    }
    const detail = { painting: Math.round(painting), longest: Math.round(longest), answers: answers.length };
    // Painting in one go leaves no answer for the whole painting (longest ≥ painting).
    expect(longest, JSON.stringify(detail)).toBeLessThan(painting / 3);
    expect(answers.length, JSON.stringify(detail)).toBeGreaterThan(10);
  });
});
